import { describe, expect, it } from 'vitest';
import { buildUptimeModels, byComponent, type BarStrokeModel } from '../../../src/surfaces/web/uptime-model.js';
import { keptUptime } from '../../helpers/kept-uptime.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const A = '00000000-0000-4000-8000-00000000000a';
const component = { id: A, showcase: true, status: 'operational' as const, createdAt: new Date('2026-01-01T00:00:00Z'), uptimeRevision: 0 };
const created = { status: 'operational' as const, at: component.createdAt };

/** The tone of each day, read back from the strokes: every day must be drawn exactly once. */
function daysDrawn(strokes: BarStrokeModel[], days = 90): string[] {
  const tones: Array<string | undefined> = Array.from({ length: days });
  for (const { tone, path } of strokes) {
    for (const [, from, length] of path.matchAll(/M(\d+) \.5h(\d+)/g)) {
      for (let i = Number(from); i < Number(from) + Number(length); i += 1) {
        expect(tones[i], `day ${i} drawn twice`).toBeUndefined();
        tones[i] = tone;
      }
    }
  }
  expect(tones.every((t) => t !== undefined)).toBe(true);
  return tones as string[];
}

describe('buildUptimeModels', () => {
  it('names each bar by its UTC day, in words', () => {
    const models = buildUptimeModels(
      [component],
      byComponent(keptUptime(
        {
          [A]: [
            created,
            { status: 'partial_outage', at: new Date('2026-11-12T10:00:00Z') },
            { status: 'major_outage', at: new Date('2026-11-12T10:42:00Z') },
            { status: 'operational', at: new Date('2026-11-12T10:47:00Z') },
          ],
        },
        NOW,
      )),
      NOW,
    );
    const model = models[A]!;
    expect(model.bars).toHaveLength(90);
    const bar = model.bars.find((b) => b.date === '2026-11-12')!;
    expect(bar.tone).toBe('major_outage');
    // A day with issues is told on its own, with its durations; the quiet days in one phrase.
    expect(model.notable.find((b) => b.date === '2026-11-12')!.text).toBe('Nov 12: major outage for 5 min, partial outage for 42 min');
    expect(model.spokenText).toBe('Aug 27 – Nov 24: 1 day with issues, listed below; no downtime on the others');
    expect(model.notable.map((b) => b.date)).toEqual(['2026-11-12']);
    // Nov 12 is day 77 of the window: one stroke of that tone, the operational days around it.
    expect(model.strokes).toEqual([
      { tone: 'operational', path: 'M0 .5h77M78 .5h12' },
      { tone: 'major_outage', path: 'M77 .5h1' },
    ]);
    expect(daysDrawn(model.strokes)).toEqual(model.bars.map((b) => b.tone));
    // 5 min down + 42 min × 0.3 = 17.6 min of 89.5 days.
    expect(model.uptime).toBe('99.98%');
  });

  it('shows days before the component existed as no data, and skips components not showcased', () => {
    const models = buildUptimeModels(
      [
        { ...component, createdAt: new Date('2026-11-20T08:00:00Z') },
        { ...component, id: 'hidden', showcase: false },
      ],
      byComponent(keptUptime({ [A]: [{ status: 'operational', at: new Date('2026-11-20T08:00:00Z') }] }, NOW)),
      NOW,
    );
    expect(Object.keys(models)).toEqual([A]);
    const bars = models[A]!.bars;
    expect(bars.find((b) => b.date === '2026-11-19')).toMatchObject({ tone: 'none' });
    expect(models[A]!.spokenText).toBe('Aug 27 – Nov 19: no data; Nov 20 – Nov 24: no downtime');
    expect(bars.find((b) => b.date === '2026-11-20')!.tone).toBe('operational');
    expect(daysDrawn(models[A]!.strokes)).toEqual(bars.map((b) => b.tone));
    expect(models[A]!.uptime).toBe('100.00%');
  });

  it('gives each of the 90 days one bar and one label across daylight-saving changes', () => {
    // The window holds both the US (Nov 1) and EU (Oct 25) changes back to winter time.
    const fiveMinutesOn = (day: string) => [
      { status: 'partial_outage' as const, at: new Date(`${day}T10:00:00Z`) },
      { status: 'operational' as const, at: new Date(`${day}T10:05:00Z`) },
    ];
    const models = buildUptimeModels(
      [component],
      byComponent(keptUptime({ [A]: [created, ...fiveMinutesOn('2026-10-25'), ...fiveMinutesOn('2026-11-01')] }, NOW)),
      NOW,
    );
    const labels = models[A]!.notable.map((b) => b.text.split(':')[0]);
    expect(labels).toEqual(['Nov 1', 'Oct 25']);
    expect(models[A]!.bars.filter((b) => b.tone === 'partial_outage').map((b) => b.date)).toEqual(['2026-10-25', '2026-11-01']);
    expect(new Set(models[A]!.bars.map((b) => b.date)).size).toBe(90);
    expect(daysDrawn(models[A]!.strokes)).toHaveLength(90);
    const dates = models[A]!.bars.map((b) => new Date(`${b.date}T00:00:00Z`).getTime());
    for (let i = 1; i < dates.length; i += 1) expect(dates[i]! - dates[i - 1]!).toBe(86_400_000);
  });

  it('says "no data" for the whole window of a component with no history yet', () => {
    const models = buildUptimeModels([{ ...component, createdAt: new Date('2026-12-01T00:00:00Z') }], byComponent(keptUptime({}, NOW)), NOW);
    expect(models[A]!.spokenText).toBe('Aug 27 – Nov 24: no data');
    expect(models[A]!.strokes).toEqual([{ tone: 'none', path: 'M0 .5h90' }]);
    expect(models[A]!.uptimeText).toBe('No data yet');
  });
});
