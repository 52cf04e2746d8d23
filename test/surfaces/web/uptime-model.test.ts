import { describe, expect, it } from 'vitest';
import { buildUptimeModels } from '../../../src/surfaces/web/uptime-model.js';
import { keptUptime } from '../../helpers/kept-uptime.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const A = '00000000-0000-4000-8000-00000000000a';
const component = { id: A, showcase: true, status: 'operational' as const, createdAt: new Date('2026-01-01T00:00:00Z') };
const created = { status: 'operational' as const, at: component.createdAt };

describe('buildUptimeModels', () => {
  it('names each bar by its UTC day, in words', () => {
    const models = buildUptimeModels(
      [component],
      keptUptime(
        {
          [A]: [
            created,
            { status: 'partial_outage', at: new Date('2026-11-12T10:00:00Z') },
            { status: 'major_outage', at: new Date('2026-11-12T10:42:00Z') },
            { status: 'operational', at: new Date('2026-11-12T10:47:00Z') },
          ],
        },
        NOW,
      ),
      NOW,
    );
    const model = models[A]!;
    expect(model.bars).toHaveLength(90);
    const bar = model.bars.find((b) => b.date === '2026-11-12')!;
    expect(bar.tone).toBe('major_outage');
    expect(bar.text).toBe('Nov 12: major outage for 5 min, partial outage for 42 min');
    expect(model.bars.find((b) => b.date === '2026-11-13')!.text).toBe('Nov 13: no downtime');
    expect(model.notable.map((b) => b.date)).toEqual(['2026-11-12']);
    // 5 min down + 42 min × 0.3 = 17.6 min of 89.5 days.
    expect(model.uptime).toBe('99.98%');
  });

  it('shows days before the component existed as no data, and skips components not showcased', () => {
    const models = buildUptimeModels(
      [
        { ...component, createdAt: new Date('2026-11-20T08:00:00Z') },
        { ...component, id: 'hidden', showcase: false },
      ],
      keptUptime({ [A]: [{ status: 'operational', at: new Date('2026-11-20T08:00:00Z') }] }, NOW),
      NOW,
    );
    expect(Object.keys(models)).toEqual([A]);
    const bars = models[A]!.bars;
    expect(bars.find((b) => b.date === '2026-11-19')).toMatchObject({ tone: 'none', text: 'Nov 19: no data' });
    expect(bars.find((b) => b.date === '2026-11-20')!.tone).toBe('operational');
    expect(models[A]!.uptime).toBe('100.00%');
  });

  it('gives each of the 90 days one bar and one label across daylight-saving changes', () => {
    // The window holds both the US (Nov 1) and EU (Oct 25) changes back to winter time.
    const models = buildUptimeModels([component], keptUptime({ [A]: [created] }, NOW), NOW);
    const labels = models[A]!.bars.map((b) => b.text.split(':')[0]);
    expect(new Set(labels).size).toBe(90);
    expect(labels).toContain('Oct 25');
    expect(labels).toContain('Nov 1');
    const dates = models[A]!.bars.map((b) => new Date(`${b.date}T00:00:00Z`).getTime());
    for (let i = 1; i < dates.length; i += 1) expect(dates[i]! - dates[i - 1]!).toBe(86_400_000);
  });
});
