import { describe, it, expect } from 'vitest';
import {
  DEFAULT_RESPONSE_TARGETS,
  endOfNextBusinessDay,
  responseClocks,
  type ClockInput,
  type ResponseTargets,
} from '../../src/domain/response-clocks.js';
import type { Severity } from '../../src/domain/vocabulary.js';

const at = (iso: string): Date => new Date(iso);
const msAfter = (iso: string, ms: number): Date => new Date(at(iso).getTime() + ms);

/** Public update times, from ISO strings. */
const updates = (...isos: string[]): Date[] => isos.map(at);

/** Every incident here is detected on Tuesday 2026-11-24 at 10:00 UTC unless a test says otherwise. */
const DETECTED = '2026-11-24T10:00:00Z';

function incident(overrides: Partial<ClockInput> = {}): ClockInput {
  return {
    severity: 'P1',
    detectedAt: at(DETECTED),
    acknowledgedAt: null,
    resolvedAt: null,
    publicUpdateTimes: [],
    ...overrides,
  };
}

/** The clocks at `now` of the default incident changed by `overrides`. */
function clocksAt(now: string, overrides: Partial<ClockInput> = {}, targets?: ResponseTargets) {
  return responseClocks(incident(overrides), at(now), targets);
}

describe('DEFAULT_RESPONSE_TARGETS', () => {
  it('are the product defaults', () => {
    expect(DEFAULT_RESPONSE_TARGETS).toEqual({
      acknowledgeSeconds: { P0: 300, P1: 900, P2: 7200, P3: null },
      firstUpdateSeconds: 300,
      updateIntervalSeconds: { P0: 900, P1: 900, P2: 1800, P3: 1800 },
    });
  });
});

describe('first public update', () => {
  it.each<Severity>(['P0', 'P1', 'P2', 'P3'])('is due 5 minutes after detection for %s', (severity) => {
    expect(clocksAt(DETECTED, { severity }).firstUpdateDueAt).toEqual(at('2026-11-24T10:05:00Z'));
  });

  it('is not breached when published exactly 300 s after detection', () => {
    const clocks = clocksAt('2026-11-24T11:00:00Z', { publicUpdateTimes: updates('2026-11-24T10:05:00Z') });
    expect(clocks.timeToFirstUpdateSeconds).toBe(300);
    expect(clocks.firstUpdateBreached).toBe(false);
  });

  it('is breached when published 301 s after detection', () => {
    const clocks = clocksAt('2026-11-24T11:00:00Z', { publicUpdateTimes: updates('2026-11-24T10:05:01Z') });
    expect(clocks.timeToFirstUpdateSeconds).toBe(301);
    expect(clocks.firstUpdateBreached).toBe(true);
  });

  it('is breached one millisecond past the target', () => {
    const clocks = clocksAt('2026-11-24T11:00:00Z', { publicUpdateTimes: updates('2026-11-24T10:05:00.001Z') });
    expect(clocks.firstUpdateBreached).toBe(true);
  });

  it('is judged by when the first update went out, not by now', () => {
    const clocks = clocksAt('2026-11-25T10:00:00Z', { publicUpdateTimes: updates('2026-11-24T10:03:00Z') });
    expect(clocks.timeToFirstUpdateSeconds).toBe(180);
    expect(clocks.firstUpdateBreached).toBe(false);
  });

  describe('with no public update yet', () => {
    it('is not breached while now is exactly at the due time', () => {
      const clocks = clocksAt('2026-11-24T10:05:00Z');
      expect(clocks.timeToFirstUpdateSeconds).toBeNull();
      expect(clocks.firstUpdateBreached).toBe(false);
    });

    it('is breached one millisecond later', () => {
      const clocks = clocksAt('2026-11-24T10:05:00.001Z');
      expect(clocks.timeToFirstUpdateSeconds).toBeNull();
      expect(clocks.firstUpdateBreached).toBe(true);
    });
  });

  // Alertmanager ingestion sets detectedAt to the alert's startsAt, which may be well before
  // the incident row is created: the clock runs from detection, not from creation.
  it('counts from a backfilled detection time, not from creation', () => {
    const clocks = clocksAt('2026-11-24T10:00:00Z', {
      detectedAt: at('2026-11-24T09:40:00Z'),
      publicUpdateTimes: updates('2026-11-24T10:00:00Z'),
    });
    expect(clocks.timeToFirstUpdateSeconds).toBe(1200);
    expect(clocks.firstUpdateDueAt).toEqual(at('2026-11-24T09:45:00Z'));
    expect(clocks.firstUpdateBreached).toBe(true);
  });

  // detectedAt may be edited to later than the first update; the time is never negative.
  it('counts an update published before detection as immediate', () => {
    const clocks = clocksAt('2026-11-24T10:30:00Z', { publicUpdateTimes: updates('2026-11-24T09:58:00Z') });
    expect(clocks.timeToFirstUpdateSeconds).toBe(0);
    expect(clocks.firstUpdateBreached).toBe(false);
  });

  // toBe compares with Object.is, so this also fails on a -0 from rounding a small negative.
  it('reports 0 for an update less than a second before detection', () => {
    const clocks = clocksAt('2026-11-24T10:30:00Z', { publicUpdateTimes: updates('2026-11-24T09:59:59.600Z') });
    expect(clocks.timeToFirstUpdateSeconds).toBe(0);
  });
});

describe('a draft (no public updates)', () => {
  it('has no first or last update, and its next update due is the first update target', () => {
    expect(clocksAt('2026-11-24T10:01:00Z')).toMatchObject({
      timeToFirstUpdateSeconds: null,
      lastPublicUpdateAt: null,
      firstUpdateDueAt: at('2026-11-24T10:05:00Z'),
      nextUpdateDueAt: at('2026-11-24T10:05:00Z'),
      firstUpdateBreached: false,
      updateOverdue: false,
    });
  });

  it('is not overdue exactly at the first update target', () => {
    expect(clocksAt('2026-11-24T10:05:00Z').updateOverdue).toBe(false);
  });

  it('is breached and overdue once now passes the first update target', () => {
    const clocks = clocksAt('2026-11-24T10:06:00Z');
    expect(clocks.firstUpdateBreached).toBe(true);
    expect(clocks.updateOverdue).toBe(true);
  });
});

describe('next public update', () => {
  // Updates at 10:02 and 10:20: the interval runs from the last one.
  it.each<[Severity, string]>([
    ['P0', '2026-11-24T10:35:00Z'],
    ['P1', '2026-11-24T10:35:00Z'],
    ['P2', '2026-11-24T10:50:00Z'],
    ['P3', '2026-11-24T10:50:00Z'],
  ])('for %s is due at %s, from the last public update, and overdue strictly after', (severity, due) => {
    const input = incident({
      severity,
      publicUpdateTimes: updates('2026-11-24T10:02:00Z', '2026-11-24T10:20:00Z'),
    });
    const clocks = responseClocks(input, at('2026-11-24T10:21:00Z'));
    expect(clocks.lastPublicUpdateAt).toEqual(at('2026-11-24T10:20:00Z'));
    expect(clocks.nextUpdateDueAt).toEqual(at(due));
    expect(clocks.updateOverdue).toBe(false);

    expect(responseClocks(input, at(due)).updateOverdue).toBe(false);
    expect(responseClocks(input, msAfter(due, 1)).updateOverdue).toBe(true);
  });

  it('can be overdue even though the first update was on time', () => {
    const clocks = clocksAt('2026-11-24T10:30:00Z', { publicUpdateTimes: updates('2026-11-24T10:04:00Z') });
    expect(clocks.firstUpdateBreached).toBe(false);
    expect(clocks.nextUpdateDueAt).toEqual(at('2026-11-24T10:19:00Z'));
    expect(clocks.updateOverdue).toBe(true);
  });

  // Update times may arrive in any order; the first is the earliest and the last the latest.
  it('takes the earliest and latest of unordered update times', () => {
    const clocks = clocksAt('2026-11-24T10:25:00Z', {
      publicUpdateTimes: updates('2026-11-24T10:20:00Z', '2026-11-24T10:02:00Z', '2026-11-24T10:11:00Z'),
    });
    expect(clocks.timeToFirstUpdateSeconds).toBe(120);
    expect(clocks.firstUpdateBreached).toBe(false);
    expect(clocks.lastPublicUpdateAt).toEqual(at('2026-11-24T10:20:00Z'));
    expect(clocks.nextUpdateDueAt).toEqual(at('2026-11-24T10:35:00Z'));
    expect(clocks.updateOverdue).toBe(false);
  });

  it('does not judge the first update by a late update listed first', () => {
    const clocks = clocksAt('2026-11-24T10:41:00Z', {
      publicUpdateTimes: updates('2026-11-24T10:40:00Z', '2026-11-24T10:04:00Z'),
    });
    expect(clocks.timeToFirstUpdateSeconds).toBe(240);
    expect(clocks.firstUpdateBreached).toBe(false);
    expect(clocks.lastPublicUpdateAt).toEqual(at('2026-11-24T10:40:00Z'));
    expect(clocks.nextUpdateDueAt).toEqual(at('2026-11-24T10:55:00Z'));
  });
});

describe('acknowledge', () => {
  it.each<[Severity, string]>([
    ['P0', '2026-11-24T10:05:00Z'],
    ['P1', '2026-11-24T10:15:00Z'],
    ['P2', '2026-11-24T12:00:00Z'],
  ])('for %s is due at %s, and breached only once passed', (severity, due) => {
    expect(clocksAt(DETECTED, { severity }).acknowledgeDueAt).toEqual(at(due));

    // Acknowledged exactly on target is within it; a second later is not.
    const aDayLater = '2026-11-25T10:00:00Z';
    expect(clocksAt(aDayLater, { severity, acknowledgedAt: at(due) }).acknowledgeBreached).toBe(false);
    expect(clocksAt(aDayLater, { severity, acknowledgedAt: msAfter(due, 1000) }).acknowledgeBreached).toBe(true);

    // Not acknowledged yet: breached once now is past the due time, not at it.
    expect(clocksAt(due, { severity }).acknowledgeBreached).toBe(false);
    expect(responseClocks(incident({ severity }), msAfter(due, 1)).acknowledgeBreached).toBe(true);
  });

  it('is judged by when it was acknowledged, not by now', () => {
    const acknowledged = { severity: 'P0', acknowledgedAt: at('2026-11-24T10:01:00Z') } as const;
    const clocks = clocksAt('2026-11-26T10:00:00Z', acknowledged);
    expect(clocks.acknowledgeBreached).toBe(false);
  });

  it('is within target when acknowledged before a backfilled detection time', () => {
    const acknowledged = { severity: 'P0', acknowledgedAt: at('2026-11-24T09:59:00Z') } as const;
    const clocks = clocksAt('2026-11-24T10:30:00Z', acknowledged);
    expect(clocks.acknowledgeBreached).toBe(false);
  });

  describe('for P3, by the end of the next business day', () => {
    // Detected Tuesday 10:00 → the next business day is Wednesday, which ends at Thursday 00:00.
    it('is due when Wednesday ends', () => {
      expect(clocksAt(DETECTED, { severity: 'P3' }).acknowledgeDueAt).toEqual(at('2026-11-26T00:00:00Z'));
    });

    it('is not breached until that instant has passed', () => {
      expect(clocksAt('2026-11-25T23:59:59.999Z', { severity: 'P3' }).acknowledgeBreached).toBe(false);
      expect(clocksAt('2026-11-26T00:00:00Z', { severity: 'P3' }).acknowledgeBreached).toBe(false);
      expect(clocksAt('2026-11-26T00:00:00.001Z', { severity: 'P3' }).acknowledgeBreached).toBe(true);
    });

    it('found on a Friday is due by the end of Monday', () => {
      const friday = { severity: 'P3', detectedAt: at('2026-11-27T16:00:00Z') } as const;
      expect(clocksAt('2026-11-27T16:00:00Z', friday).acknowledgeDueAt).toEqual(at('2026-12-01T00:00:00Z'));
      const mondayEvening = { ...friday, acknowledgedAt: at('2026-11-30T23:00:00Z') };
      expect(clocksAt('2026-12-02T00:00:00Z', mondayEvening).acknowledgeBreached).toBe(false);
    });
  });
});

describe('a resolved incident', () => {
  const longAfter = '2026-11-30T10:00:00Z';

  it('has no next update due and is never overdue, however long ago the last update was', () => {
    const clocks = clocksAt(longAfter, {
      publicUpdateTimes: updates('2026-11-24T10:03:00Z'),
      resolvedAt: at('2026-11-24T11:00:00Z'),
    });
    expect(clocks.nextUpdateDueAt).toBeNull();
    expect(clocks.updateOverdue).toBe(false);
  });

  it('still reports its first and last public updates and its due times', () => {
    const clocks = clocksAt(longAfter, {
      severity: 'P0',
      publicUpdateTimes: updates('2026-11-24T10:03:00Z', '2026-11-24T11:00:00Z'),
      resolvedAt: at('2026-11-24T11:00:00Z'),
    });
    expect(clocks.timeToFirstUpdateSeconds).toBe(180);
    expect(clocks.lastPublicUpdateAt).toEqual(at('2026-11-24T11:00:00Z'));
    expect(clocks.firstUpdateDueAt).toEqual(at('2026-11-24T10:05:00Z'));
    expect(clocks.acknowledgeDueAt).toEqual(at('2026-11-24T10:05:00Z'));
  });

  // Judging a closed incident against `now` would turn every incident resolved before anyone
  // acknowledged it into a breach the moment its target passed after the resolution.
  it('judges an acknowledge it never had at resolution, not now', () => {
    const p2 = {
      severity: 'P2',
      resolvedAt: at('2026-11-24T10:30:00Z'),
      publicUpdateTimes: updates('2026-11-24T10:02:00Z'),
    } as const;
    const clocks = clocksAt(longAfter, p2);
    expect(clocks.acknowledgeDueAt).toEqual(at('2026-11-24T12:00:00Z'));
    expect(clocks.acknowledgeBreached).toBe(false);

    // The same incident left open would be breached by now.
    expect(clocksAt(longAfter, { ...p2, resolvedAt: null }).acknowledgeBreached).toBe(true);
  });

  it('is breached on acknowledge when resolved after the target without one', () => {
    const clocks = clocksAt(longAfter, { severity: 'P0', resolvedAt: at('2026-11-24T10:30:00Z') });
    expect(clocks.acknowledgeBreached).toBe(true);
  });

  it('judges a first update it never had at resolution, not now', () => {
    // A false alarm resolved as a draft within the target never breached it.
    const early = clocksAt(longAfter, { resolvedAt: at('2026-11-24T10:04:00Z') });
    expect(early.firstUpdateBreached).toBe(false);
    expect(early.nextUpdateDueAt).toBeNull();
    expect(early.updateOverdue).toBe(false);

    expect(clocksAt(longAfter, { resolvedAt: at('2026-11-24T10:05:00Z') }).firstUpdateBreached).toBe(false);

    const late = clocksAt(longAfter, { resolvedAt: at('2026-11-24T10:30:00Z') });
    expect(late.firstUpdateBreached).toBe(true);
    expect(late.timeToFirstUpdateSeconds).toBeNull();
  });

  it('judges a P3 acknowledge at resolution too', () => {
    // Detected Friday, resolved Friday evening, looked at the next Wednesday (after the Monday target).
    const clocks = clocksAt('2026-12-02T12:00:00Z', {
      severity: 'P3',
      detectedAt: at('2026-11-27T16:00:00Z'),
      resolvedAt: at('2026-11-27T18:00:00Z'),
    });
    expect(clocks.acknowledgeDueAt).toEqual(at('2026-12-01T00:00:00Z'));
    expect(clocks.acknowledgeBreached).toBe(false);
  });

  // A resolution stamped slightly ahead of `now` (clock skew between servers) must not bring
  // forward a breach that has not happened yet.
  it('is judged at now when resolvedAt is later than now', () => {
    const clocks = clocksAt('2026-11-24T10:04:00Z', { severity: 'P0', resolvedAt: at('2026-11-24T10:10:00Z') });
    expect(clocks.acknowledgeBreached).toBe(false);
    expect(clocks.firstUpdateBreached).toBe(false);
    expect(clocks.nextUpdateDueAt).toBeNull();
  });
});

describe('custom targets', () => {
  const targets: ResponseTargets = {
    acknowledgeSeconds: { P0: 60, P1: 120, P2: null, P3: 3600 },
    firstUpdateSeconds: 120,
    updateIntervalSeconds: { P0: 300, P1: 600, P2: 900, P3: 3600 },
  };

  it('replace the first update target for every severity', () => {
    const input = { publicUpdateTimes: updates('2026-11-24T10:02:01Z') };
    const clocks = clocksAt('2026-11-24T10:03:00Z', input, targets);
    expect(clocks.firstUpdateDueAt).toEqual(at('2026-11-24T10:02:00Z'));
    expect(clocks.timeToFirstUpdateSeconds).toBe(121);
    expect(clocks.firstUpdateBreached).toBe(true);
    // Under the defaults the same update is well within target.
    expect(clocksAt('2026-11-24T10:03:00Z', input).firstUpdateBreached).toBe(false);
  });

  // P2 with a null target falls back to the next business day (detected Tuesday → Thursday 00:00).
  it.each<[Severity, string, string]>([
    ['P0', '2026-11-24T10:01:00Z', '2026-11-24T10:06:00Z'],
    ['P1', '2026-11-24T10:02:00Z', '2026-11-24T10:11:00Z'],
    ['P2', '2026-11-26T00:00:00Z', '2026-11-24T10:16:00Z'],
    ['P3', '2026-11-24T11:00:00Z', '2026-11-24T11:01:00Z'],
  ])('for %s: acknowledge due %s, next update due %s', (severity, ackDue, nextDue) => {
    const input = { severity, publicUpdateTimes: updates('2026-11-24T10:01:00Z') };
    const clocks = clocksAt('2026-11-24T10:01:00Z', input, targets);
    expect(clocks.acknowledgeDueAt).toEqual(at(ackDue));
    expect(clocks.nextUpdateDueAt).toEqual(at(nextDue));
  });

  it("set a draft's next update due to the custom first update target", () => {
    expect(clocksAt(DETECTED, {}, targets).nextUpdateDueAt).toEqual(at('2026-11-24T10:02:00Z'));
  });
});

describe('endOfNextBusinessDay', () => {
  // Week of 2026-11-23: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Sat 28, Sun 29, Mon 30, Tue Dec 1.
  // The end of a day is the instant the following day begins.
  it.each<[string, string, string]>([
    ['Monday', '2026-11-23T10:00:00Z', '2026-11-25T00:00:00.000Z'],
    ['Monday, first instant', '2026-11-23T00:00:00Z', '2026-11-25T00:00:00.000Z'],
    ['Monday, last instant', '2026-11-23T23:59:59.999Z', '2026-11-25T00:00:00.000Z'],
    ['Thursday', '2026-11-26T10:00:00Z', '2026-11-28T00:00:00.000Z'],
    ['Thursday, last instant', '2026-11-26T23:59:59.999Z', '2026-11-28T00:00:00.000Z'],
    ['Friday', '2026-11-27T10:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['Friday, first instant', '2026-11-27T00:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['Friday, last instant', '2026-11-27T23:59:59.999Z', '2026-12-01T00:00:00.000Z'],
    ['Saturday', '2026-11-28T10:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['Saturday, first instant', '2026-11-28T00:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['Sunday', '2026-11-29T10:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['Sunday, last instant', '2026-11-29T23:59:59.999Z', '2026-12-01T00:00:00.000Z'],
    // 2026-12-31 is a Thursday; the next business day is New Year's Day (there is no holiday calendar).
    ['Thursday at the turn of the year', '2026-12-31T12:00:00Z', '2027-01-02T00:00:00.000Z'],
  ])('for a detection on %s (%s) is %s', (_day, detected, end) => {
    expect(endOfNextBusinessDay(at(detected)).toISOString()).toBe(end);
  });

  // The business day is the UTC one: late Monday evening in New York is already Tuesday in UTC.
  it('uses the UTC day of an instant written with an offset', () => {
    expect(endOfNextBusinessDay(at('2026-11-23T23:30:00-05:00')).toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('does not modify its argument', () => {
    const detected = at('2026-11-27T10:00:00Z');
    endOfNextBusinessDay(detected);
    expect(detected.toISOString()).toBe('2026-11-27T10:00:00.000Z');
  });
});
