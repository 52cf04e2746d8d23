import { describe, expect, it } from 'vitest';
import type { ComponentStatus } from '../../src/domain/vocabulary.js';
import { DOWNTIME_WEIGHT, formatUptime, runsOf, uptimeHistory, uptimeWindowStart, type StatusChange } from '../../src/domain/uptime.js';
import { DAY_MS } from '../../src/domain/utc-days.js';

const MIN = 60_000;
const NOW = new Date('2026-11-24T12:00:00Z');
const at = (iso: string) => new Date(iso);
const change = (iso: string, status: ComponentStatus): StatusChange => ({ at: at(iso), status });
const day = (h: ReturnType<typeof uptimeHistory>, date: string) => h.days.find((d) => d.date === date)!;

describe('uptimeHistory', () => {
  it('spans 90 UTC days ending today, oldest first, each starting at midnight', () => {
    const h = uptimeHistory({ now: NOW, statusAtWindowStart: 'operational', changes: [] });
    expect(h.days).toHaveLength(90);
    expect(h.days[89]!.date).toBe('2026-11-24');
    expect(h.days[0]!.date).toBe('2026-08-27');
    expect(h.days[0]!.start.toISOString()).toBe('2026-08-27T00:00:00.000Z');
    expect(uptimeWindowStart(NOW).toISOString()).toBe('2026-08-27T00:00:00.000Z');
    for (let i = 1; i < 90; i += 1) expect(h.days[i]!.start.getTime() - h.days[i - 1]!.start.getTime()).toBe(DAY_MS);
  });

  it('with no changes at all and nothing before the window, knows nothing', () => {
    const h = uptimeHistory({ now: NOW, statusAtWindowStart: null, changes: [] });
    expect(h.uptime).toBeNull();
    expect(h.days.every((d) => !d.hasData && d.worst === null && d.uptime === null)).toBe(true);
  });

  it('with no changes, an operational component is 100% up and today counts only up to now', () => {
    const h = uptimeHistory({ now: NOW, statusAtWindowStart: 'operational', changes: [] });
    expect(h.uptime).toBe(1);
    expect(day(h, '2026-11-24').observedMs).toBe(12 * 60 * MIN);
    expect(day(h, '2026-11-23').observedMs).toBe(DAY_MS);
    expect(h.observedMs).toBe(89 * DAY_MS + 12 * 60 * MIN);
  });

  it('falls back to createdAt and the current status when no history was recorded', () => {
    const h = uptimeHistory({ now: NOW, statusAtWindowStart: null, changes: [], createdAt: at('2026-11-20T06:00:00Z'), currentStatus: 'major_outage' });
    expect(day(h, '2026-11-19').hasData).toBe(false);
    expect(day(h, '2026-11-20').observedMs).toBe(18 * 60 * MIN);
    expect(h.uptime).toBe(0);
  });

  it('a change exactly at midnight belongs wholly to the new day', () => {
    const h = uptimeHistory({
      now: NOW,
      statusAtWindowStart: 'operational',
      changes: [change('2026-11-20T00:00:00.000Z', 'major_outage'), change('2026-11-20T01:00:00.000Z', 'operational')],
    });
    expect(day(h, '2026-11-19').worst).toBe('operational');
    expect(day(h, '2026-11-19').downtimeMs).toBe(0);
    expect(day(h, '2026-11-20').worst).toBe('major_outage');
    expect(day(h, '2026-11-20').durations.major_outage).toBe(60 * MIN);
  });

  it('an outage spanning midnight is split between the two days', () => {
    const h = uptimeHistory({
      now: NOW,
      statusAtWindowStart: 'operational',
      changes: [change('2026-11-20T23:30:00Z', 'major_outage'), change('2026-11-21T00:45:00Z', 'operational')],
    });
    expect(day(h, '2026-11-20').durations.major_outage).toBe(30 * MIN);
    expect(day(h, '2026-11-21').durations.major_outage).toBe(45 * MIN);
    expect(day(h, '2026-11-20').worst).toBe('major_outage');
    expect(day(h, '2026-11-21').worst).toBe('major_outage');
    expect(day(h, '2026-11-22').worst).toBe('operational');
  });

  it('an outage spanning several whole days marks each of them', () => {
    const h = uptimeHistory({
      now: NOW,
      statusAtWindowStart: 'operational',
      changes: [change('2026-11-10T12:00:00Z', 'major_outage'), change('2026-11-13T12:00:00Z', 'operational')],
    });
    expect(day(h, '2026-11-11').uptime).toBe(0);
    expect(day(h, '2026-11-12').uptime).toBe(0);
    expect(day(h, '2026-11-10').uptime).toBe(0.5);
    expect(day(h, '2026-11-13').uptime).toBe(0.5);
  });

  it('a change in the last millisecond of a day leaves one millisecond in that day', () => {
    const h = uptimeHistory({
      now: NOW,
      statusAtWindowStart: 'operational',
      changes: [change('2026-11-20T23:59:59.999Z', 'major_outage'), change('2026-11-21T00:10:00Z', 'operational')],
    });
    expect(day(h, '2026-11-20').durations.major_outage).toBe(1);
    expect(day(h, '2026-11-20').worst).toBe('major_outage');
    expect(day(h, '2026-11-21').durations.major_outage).toBe(10 * MIN);
    expect(day(h, '2026-11-20').observedMs).toBe(DAY_MS);
  });

  it('weighs partial outages at 0.3 and counts degraded performance and maintenance as up', () => {
    expect(DOWNTIME_WEIGHT.partial_outage).toBe(0.3);
    const h = uptimeHistory({
      now: NOW,
      days: 1,
      statusAtWindowStart: 'operational',
      changes: [
        change('2026-11-24T00:00:00Z', 'partial_outage'),
        change('2026-11-24T01:00:00Z', 'degraded_performance'),
        change('2026-11-24T02:00:00Z', 'under_maintenance'),
        change('2026-11-24T03:00:00Z', 'major_outage'),
        change('2026-11-24T04:00:00Z', 'operational'),
      ],
    });
    expect(h.downtimeMs).toBeCloseTo(0.3 * 60 * MIN + 60 * MIN);
    expect(h.uptime).toBeCloseTo(1 - 78 / 720);
    expect(h.days[0]!.worst).toBe('major_outage');
  });

  it('a component created mid-window has no data before, and a partial first day', () => {
    const h = uptimeHistory({
      now: NOW,
      statusAtWindowStart: null,
      changes: [change('2026-11-01T18:00:00Z', 'operational'), change('2026-11-02T00:00:00Z', 'major_outage'), change('2026-11-02T06:00:00Z', 'operational')],
    });
    expect(h.days.filter((d) => !d.hasData).map((d) => d.date).at(-1)).toBe('2026-10-31');
    expect(day(h, '2026-11-01').observedMs).toBe(6 * 60 * MIN);
    expect(day(h, '2026-11-01').uptime).toBe(1);
    const known = 22 * DAY_MS + 6 * 60 * MIN + 12 * 60 * MIN;
    expect(h.observedMs).toBe(known);
    expect(h.uptime).toBeCloseTo(1 - (6 * 60 * MIN) / known, 12);
  });

  it('ignores changes after now and several changes at the same instant', () => {
    const h = uptimeHistory({
      now: NOW,
      days: 1,
      statusAtWindowStart: 'operational',
      changes: [change('2026-11-24T06:00:00Z', 'major_outage'), change('2026-11-24T06:00:00Z', 'partial_outage'), change('2026-11-24T13:00:00Z', 'major_outage')],
    });
    expect(h.days[0]!.durations.major_outage).toBe(0);
    expect(h.days[0]!.durations.partial_outage).toBe(6 * 60 * MIN);
    expect(h.days[0]!.worst).toBe('partial_outage');
  });

  it('handles thousands of changes over 90 days and agrees with a minute-by-minute count', () => {
    const start = uptimeWindowStart(NOW).getTime();
    const statuses: ComponentStatus[] = ['operational', 'partial_outage', 'major_outage', 'degraded_performance'];
    const changes: StatusChange[] = [];
    // Deterministic pseudo-random walk: a change every 7..97 minutes.
    let t = start;
    let seed = 7;
    while (true) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      t += (7 + (seed % 91)) * MIN;
      if (t >= NOW.getTime()) break;
      changes.push({ at: new Date(t), status: statuses[seed % 4]! });
    }
    expect(changes.length).toBeGreaterThan(2000);
    const h = uptimeHistory({ now: NOW, statusAtWindowStart: 'operational', changes });

    let down = 0;
    let i = 0;
    let status: ComponentStatus = 'operational';
    for (let m = start; m < NOW.getTime(); m += MIN) {
      while (i < changes.length && changes[i]!.at.getTime() <= m) status = changes[i++]!.status;
      down += DOWNTIME_WEIGHT[status] * MIN;
    }
    expect(h.downtimeMs).toBeCloseTo(down, 3);
    expect(h.observedMs).toBe(NOW.getTime() - start);
    expect(h.days.reduce((s, d) => s + d.observedMs, 0)).toBe(h.observedMs);
  });
});

describe('formatUptime', () => {
  it('rounds down so any downtime shows below 100%', () => {
    expect(formatUptime(1)).toBe('100.00%');
    expect(formatUptime(0.99999)).toBe('99.99%');
    expect(formatUptime(0.9995)).toBe('99.95%');
    expect(formatUptime(0)).toBe('0.00%');
  });
});

describe('runsOf', () => {
  it('merges consecutive equal values, oldest first, each run with its first index and length', () => {
    expect(runsOf(['a', 'a', 'b', 'a', 'a', 'a'])).toEqual([
      { value: 'a', from: 0, length: 2 },
      { value: 'b', from: 2, length: 1 },
      { value: 'a', from: 3, length: 3 },
    ]);
    expect(runsOf([])).toEqual([]);
  });

  it('covers every index exactly once', () => {
    const values = Array.from({ length: 90 }, (_, i) => (i % 7 === 0 ? 'x' : 'y'));
    const runs = runsOf(values);
    expect(runs.reduce((sum, r) => sum + r.length, 0)).toBe(90);
    for (let i = 1; i < runs.length; i += 1) expect(runs[i]!.from).toBe(runs[i - 1]!.from + runs[i - 1]!.length);
  });
});
