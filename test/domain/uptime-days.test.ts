import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeDeltas, pastDaysFromTotals, todayFromTotals, uptimeFromTotals, withToday } from '../../src/domain/uptime-days.js';
import { emptyDurations, type StatusChange, type StatusDurations } from '../../src/domain/uptime.js';
import { DAY_MS } from '../../src/domain/utc-days.js';
import { COMPONENT_STATUSES, type ComponentStatus } from '../../src/domain/vocabulary.js';
import { keep, recentOf, referenceHistory, totalsOf } from '../helpers/kept-uptime.js';

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const change = (iso: string, status: ComponentStatus): StatusChange => ({ at: at(iso), status });
const ms = (partial: Partial<StatusDurations>): StatusDurations => ({ ...emptyDurations(), ...partial });

describe('changeDeltas', () => {
  it('closes the previous interval up to the change, split at UTC midnight', () => {
    const deltas = changeDeltas(change('2026-11-21T00:12:00Z', 'operational'), change('2026-11-20T23:30:00Z', 'major_outage'), null);
    expect(deltas).toEqual([
      { date: '2026-11-20', durations: ms({ major_outage: 30 * MIN }) },
      { date: '2026-11-21', durations: ms({ major_outage: 12 * MIN }) },
    ]);
  });

  it('fills every whole day a status was held without a change', () => {
    const deltas = changeDeltas(change('2026-11-05T06:00:00Z', 'major_outage'), change('2026-11-01T18:00:00Z', 'operational'), null);
    expect(deltas.map((d) => [d.date, d.durations.operational])).toEqual([
      ['2026-11-01', 6 * 60 * MIN],
      ['2026-11-02', DAY_MS],
      ['2026-11-03', DAY_MS],
      ['2026-11-04', DAY_MS],
      ['2026-11-05', 6 * 60 * MIN],
    ]);
  });

  it('gives a change exactly at midnight nothing of the day before', () => {
    const deltas = changeDeltas(change('2026-11-20T00:00:00Z', 'major_outage'), change('2026-11-19T12:00:00Z', 'operational'), null);
    expect(deltas).toEqual([{ date: '2026-11-19', durations: ms({ operational: 12 * 60 * MIN }) }]);
  });

  it('records nothing for a first change, or for a second one at the same instant', () => {
    expect(changeDeltas(change('2026-11-20T08:00:00Z', 'operational'), null, null)).toEqual([]);
    expect(changeDeltas(change('2026-11-20T08:00:00Z', 'major_outage'), change('2026-11-20T08:00:00Z', 'operational'), null)).toEqual([]);
  });

  it('moves the rest of a closed interval to a change stamped inside it', () => {
    // A process whose clock runs behind records a change before the newest one.
    const deltas = changeDeltas(
      change('2026-11-20T10:00:00Z', 'partial_outage'),
      change('2026-11-20T08:00:00Z', 'operational'),
      { at: at('2026-11-20T11:00:00Z') },
    );
    expect(deltas).toEqual([{ date: '2026-11-20', durations: ms({ operational: -60 * MIN, partial_outage: 60 * MIN }) }]);
  });

  it('adds known time when a change lands before the first one', () => {
    const deltas = changeDeltas(change('2026-11-20T10:00:00Z', 'operational'), null, { at: at('2026-11-20T11:00:00Z') });
    expect(deltas).toEqual([{ date: '2026-11-20', durations: ms({ operational: 60 * MIN }) }]);
  });
});

describe('uptimeFromTotals', () => {
  const NOW = at('2026-11-24T12:00:00Z');

  it('counts the open interval since the last change up to now, over days without a write', () => {
    const changes = [change('2026-11-01T18:00:00Z', 'operational'), change('2026-11-20T23:30:00Z', 'major_outage')];
    const kept = keep(changes);
    const h = uptimeFromTotals({ now: NOW, totals: totalsOf(kept), recent: recentOf(kept, NOW) });
    const day = (date: string) => h.days.find((d) => d.date === date)!;
    expect(day('2026-11-20').durations).toEqual(ms({ operational: 23.5 * 60 * MIN, major_outage: 30 * MIN }));
    expect(day('2026-11-22').durations).toEqual(ms({ major_outage: DAY_MS }));
    expect(day('2026-11-24').observedMs).toBe(12 * 60 * MIN);
    expect(day('2026-10-31').hasData).toBe(false);
    expect(h).toEqual(referenceHistory(changes, NOW, 90));
  });

  it('falls back to createdAt and the current status when no history was recorded', () => {
    const h = uptimeFromTotals({ now: NOW, totals: [], recent: [], createdAt: at('2026-11-20T06:00:00Z'), currentStatus: 'major_outage' });
    expect(h.days.find((d) => d.date === '2026-11-20')!.observedMs).toBe(18 * 60 * MIN);
    expect(h.uptime).toBe(0);
    expect(uptimeFromTotals({ now: NOW, totals: [], recent: [] }).uptime).toBeNull();
  });

  it('leaves out closed time stamped after now', () => {
    const changes = [change('2026-11-24T06:00:00Z', 'operational'), change('2026-11-24T13:00:00Z', 'major_outage'), change('2026-11-24T14:00:00Z', 'operational')];
    const kept = keep(changes);
    const h = uptimeFromTotals({ now: NOW, days: 1, totals: totalsOf(kept), recent: recentOf(kept, NOW) });
    expect(h.days[0]!.durations).toEqual(ms({ operational: 6 * 60 * MIN }));
    expect(h).toEqual(referenceHistory(changes, NOW, 1));
  });
});

// Instants around a stretch of 2026, biased towards what breaks day arithmetic: exact UTC
// midnights, the milliseconds either side, and instants shared by several changes.
const ORIGIN = Date.parse('2026-06-01T00:00:00Z');
const SPAN_DAYS = 200;
const status = fc.constantFrom(...COMPONENT_STATUSES);
const instant = fc.oneof(
  fc.integer({ min: ORIGIN - 30 * DAY_MS, max: ORIGIN + SPAN_DAYS * DAY_MS }),
  fc.tuple(fc.integer({ min: -30, max: SPAN_DAYS }), fc.constantFrom(-1, 0, 0, 1)).map(([day, off]) => ORIGIN + day * DAY_MS + off),
  fc.tuple(fc.integer({ min: 0, max: SPAN_DAYS }), fc.integer({ min: 0, max: 23 })).map(([day, hour]) => ORIGIN + day * DAY_MS + hour * 3_600_000),
);
const history = fc
  .record({
    pool: fc.array(instant, { minLength: 1, maxLength: 12 }),
    picks: fc.array(fc.record({ pick: fc.nat(), status }), { maxLength: 30 }),
    // Usually recorded in time order, as one clock stamps them; sometimes not, as when
    // processes with skewed clocks write.
    chronological: fc.boolean(),
  })
  .map(({ pool, picks, chronological }) => {
    const changes = picks.map(({ pick, status: s }) => ({ at: new Date(pool[pick % pool.length]!), status: s }));
    return chronological ? [...changes].sort((a, b) => a.at.getTime() - b.at.getTime()) : changes;
  });
const nowFor = (changes: readonly StatusChange[]) =>
  fc.oneof(
    instant.map((t) => new Date(t)),
    fc.integer({ min: 0, max: 100 * DAY_MS }).map((d) => new Date(Math.max(ORIGIN, ...changes.map((c) => c.at.getTime())) + d)),
    ...(changes.length > 0 ? [fc.constantFrom(...changes.map((c) => c.at))] : []),
  );

describe('day totals kept through changes agree with the whole-history computation', () => {
  it('day by day and overall, for any history, any order of recording and any now', () => {
    fc.assert(
      fc.property(
        history.chain((changes) =>
          fc.record({
            changes: fc.constant(changes),
            now: nowFor(changes),
            days: fc.oneof(fc.constant(90), fc.integer({ min: 1, max: 120 })),
            createdAt: fc.option(instant.map((t) => new Date(t)), { nil: undefined }),
            currentStatus: status,
          }),
        ),
        ({ changes, now, days, createdAt, currentStatus }) => {
          const kept = keep(changes);
          const read = uptimeFromTotals({ now, days, totals: totalsOf(kept), recent: recentOf(kept, now), createdAt, currentStatus });
          expect(read).toEqual(referenceHistory(changes, now, days, { createdAt, currentStatus }));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('a window kept as its past days plus today agrees with the window computed whole', () => {
  const windowInput = history.chain((changes) =>
    fc.record({
      changes: fc.constant(changes),
      now: nowFor(changes),
      // Later the same UTC day, as a page rendered again a while after.
      laterMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: DAY_MS })),
      days: fc.oneof(fc.constant(90), fc.integer({ min: 1, max: 120 })),
      createdAt: fc.option(instant.map((t) => new Date(t)), { nil: undefined }),
      currentStatus: status,
    }),
  );
  // What a reader keeps the past days by (besides the totals' revision): the day, and the recent changes.
  const keyOf = (recent: readonly StatusChange[], now: Date) =>
    `${now.toISOString().slice(0, 10)}|${recent.map((c) => `${c.at.getTime()}:${c.status}`).join(',')}`;

  it('for any history, with the past days computed earlier the same day and the recent changes unchanged', () => {
    fc.assert(
      fc.property(windowInput, ({ changes, now, laterMs, days, createdAt, currentStatus }) => {
        const kept = keep(changes);
        const totals = totalsOf(kept);
        const later = new Date(now.getTime() + laterMs);
        const earlierRecent = recentOf(kept, now);
        const laterRecent = recentOf(kept, later);
        const fresh = uptimeFromTotals({ now: later, days, totals, recent: laterRecent, createdAt, currentStatus });
        expect(withToday(pastDaysFromTotals({ now: later, days, totals, recent: laterRecent, createdAt, currentStatus }), todayFromTotals({ now: later, days, totals, recent: laterRecent, createdAt, currentStatus }))).toEqual(fresh);
        if (keyOf(earlierRecent, now) !== keyOf(laterRecent, later)) return;
        const past = pastDaysFromTotals({ now, days, totals, recent: earlierRecent, createdAt, currentStatus });
        const today = todayFromTotals({ now: later, days, totals, recent: laterRecent, createdAt, currentStatus });
        expect(withToday(past, today)).toEqual(fresh);
      }),
      { numRuns: 1_000 },
    );
  });
});
