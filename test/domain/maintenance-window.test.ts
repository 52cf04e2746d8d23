import { describe, expect, it } from 'vitest';
import {
  checkMaintenanceTransition,
  dueTransition,
  isUpcoming,
  startsIn,
  statusAfterMaintenance,
  statusDuringMaintenance,
  windowLabel,
  windowPhase,
  windowProblem,
  zonedDay,
  type ScheduledMaintenance,
} from '../../src/domain/maintenance-window.js';
import { formatDuration } from '../../src/text/time.js';

const d = (iso: string) => new Date(iso);
const window = { scheduledFor: d('2026-11-24T22:00:00Z'), scheduledUntil: d('2026-11-25T00:00:00Z') };
const m = (over: Partial<ScheduledMaintenance> = {}): ScheduledMaintenance => ({
  ...window,
  status: 'scheduled',
  autoStart: true,
  autoComplete: true,
  ...over,
});

describe('windowPhase (half-open window)', () => {
  it('is before up to the last millisecond before the start', () => {
    expect(windowPhase(window, d('2026-11-24T21:59:59.999Z'))).toBe('before');
  });
  it('is during from the start instant itself', () => {
    expect(windowPhase(window, d('2026-11-24T22:00:00Z'))).toBe('during');
    expect(windowPhase(window, d('2026-11-24T23:59:59.999Z'))).toBe('during');
  });
  it('is after at the end instant: a window ending at midnight is over at midnight', () => {
    expect(windowPhase(window, d('2026-11-25T00:00:00Z'))).toBe('after');
  });
  it('back-to-back windows never overlap at the shared instant', () => {
    const next = { scheduledFor: window.scheduledUntil, scheduledUntil: d('2026-11-25T02:00:00Z') };
    const at = d('2026-11-25T00:00:00Z');
    expect([windowPhase(window, at), windowPhase(next, at)]).toEqual(['after', 'during']);
  });
});

describe('windowProblem', () => {
  it('refuses an empty or reversed window', () => {
    expect(windowProblem({ scheduledFor: window.scheduledFor, scheduledUntil: window.scheduledFor })).toMatch(/before/);
    expect(windowProblem({ scheduledFor: window.scheduledUntil, scheduledUntil: window.scheduledFor })).toMatch(/before/);
    expect(windowProblem(window)).toBeNull();
  });
});

describe('isUpcoming', () => {
  const now = d('2026-11-24T10:00:00Z');
  it('lists a scheduled window starting within 14 days, not one starting exactly 14 days out', () => {
    const in14 = new Date(now.getTime() + 14 * 86_400_000);
    expect(isUpcoming(m({ scheduledFor: new Date(in14.getTime() - 1), scheduledUntil: in14 }), now)).toBe(true);
    expect(isUpcoming(m({ scheduledFor: in14, scheduledUntil: new Date(in14.getTime() + 1) }), now)).toBe(false);
  });
  it('keeps a missed start listed until its window ends', () => {
    const late = m({ scheduledFor: d('2026-11-24T09:00:00Z'), scheduledUntil: d('2026-11-24T10:00:00.001Z'), autoStart: false });
    expect(isUpcoming(late, now)).toBe(true);
    expect(isUpcoming({ ...late, scheduledUntil: now }, now)).toBe(false);
  });
  it('is only for scheduled ones', () => {
    for (const status of ['in_progress', 'verifying', 'completed'] as const) expect(isUpcoming(m({ status }), now)).toBe(false);
  });
});

describe('dueTransition', () => {
  const before = d('2026-11-24T21:59:59Z');
  const start = d('2026-11-24T22:00:00Z');
  const end = d('2026-11-25T00:00:00Z');
  it('starts at scheduledFor, not before', () => {
    expect(dueTransition(m(), before)).toBeNull();
    expect(dueTransition(m(), start)).toBe('start');
  });
  it('completes at scheduledUntil, from in progress or verifying', () => {
    expect(dueTransition(m({ status: 'in_progress' }), new Date(end.getTime() - 1))).toBeNull();
    expect(dueTransition(m({ status: 'in_progress' }), end)).toBe('complete');
    expect(dueTransition(m({ status: 'verifying' }), end)).toBe('complete');
  });
  it('completes directly a window missed entirely', () => {
    expect(dueTransition(m(), end)).toBe('complete');
    expect(dueTransition(m({ autoComplete: false }), end)).toBe('start');
  });
  it('leaves manual ones alone', () => {
    expect(dueTransition(m({ autoStart: false }), start)).toBeNull();
    expect(dueTransition(m({ status: 'in_progress', autoComplete: false }), end)).toBeNull();
    expect(dueTransition(m({ status: 'completed' }), end)).toBeNull();
  });
});

describe('checkMaintenanceTransition', () => {
  it('moves forward, skipping steps', () => {
    expect(checkMaintenanceTransition('scheduled', 'in_progress').ok).toBe(true);
    expect(checkMaintenanceTransition('scheduled', 'completed').ok).toBe(true);
    expect(checkMaintenanceTransition('in_progress', 'verifying').ok).toBe(true);
    expect(checkMaintenanceTransition('verifying', 'verifying').ok).toBe(true);
  });
  it('never goes back, nor out of completed', () => {
    expect(checkMaintenanceTransition('verifying', 'in_progress')).toMatchObject({ ok: false, reason: expect.stringMatching(/back/) });
    expect(checkMaintenanceTransition('completed', 'scheduled')).toMatchObject({ ok: false });
  });
});

describe('component statuses', () => {
  it('under maintenance, unless an incident claims worse', () => {
    expect(statusDuringMaintenance([])).toBe('under_maintenance');
    expect(statusDuringMaintenance(['operational'])).toBe('under_maintenance');
    expect(statusDuringMaintenance(['partial_outage'])).toBe('partial_outage');
  });
  it('back to operational, to what incidents claim, or still under another maintenance', () => {
    expect(statusAfterMaintenance([], false)).toBe('operational');
    expect(statusAfterMaintenance(['degraded_performance'], false)).toBe('degraded_performance');
    expect(statusAfterMaintenance([], true)).toBe('under_maintenance');
    expect(statusAfterMaintenance(['major_outage'], true)).toBe('major_outage');
  });
});

describe('windowLabel in the display zone', () => {
  it('one day, one zone', () => {
    expect(windowLabel({ scheduledFor: d('2026-11-24T10:00:00Z'), scheduledUntil: d('2026-11-24T12:30:00Z') }, 'UTC')).toBe(
      'Nov 24, 2026, 10:00 – 12:30 UTC',
    );
  });
  it('repeats the date when the window crosses midnight in the display zone, not in UTC', () => {
    // 22:00–24:00 UTC is one UTC day but, in Tokyo, 07:00–09:00 the next morning: still one day.
    expect(windowLabel(window, 'Asia/Tokyo')).toBe('Nov 25, 2026, 07:00 – 09:00 GMT+9');
    // In UTC it ends at midnight, on the next day.
    expect(windowLabel(window, 'UTC')).toBe('Nov 24, 2026, 22:00 – Nov 25, 2026, 00:00 UTC');
  });
  it('names both zones across the spring-forward change, and the real duration is two hours', () => {
    const spring = { scheduledFor: d('2026-03-08T09:00:00Z'), scheduledUntil: d('2026-03-08T11:00:00Z') };
    expect(windowLabel(spring, 'America/Los_Angeles')).toBe('Mar 8, 2026, 01:00 PST – 04:00 PDT');
    expect(formatDuration(spring.scheduledUntil.getTime() - spring.scheduledFor.getTime())).toBe('2 h');
  });
  it('names both zones across the fall-back change, where 01:30 happens twice', () => {
    const fall = { scheduledFor: d('2026-11-01T08:30:00Z'), scheduledUntil: d('2026-11-01T09:30:00Z') };
    expect(windowLabel(fall, 'America/Los_Angeles')).toBe('Nov 1, 2026, 01:30 PDT – 01:30 PST');
  });
  it('zonedDay follows the zone at day boundaries', () => {
    expect(zonedDay(d('2026-11-25T04:59:59Z'), 'America/New_York')).toBe('2026-11-24');
    expect(zonedDay(d('2026-11-25T05:00:00Z'), 'America/New_York')).toBe('2026-11-25');
    expect(zonedDay(d('2026-11-24T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-25');
  });
});

describe('startsIn', () => {
  const now = d('2026-11-24T10:00:00Z');
  it('in the largest whole unit', () => {
    expect(startsIn({ scheduledFor: d('2026-11-24T10:00:30Z'), scheduledUntil: d('2026-11-24T11:00:00Z') }, now)).toBe('now');
    expect(startsIn({ scheduledFor: d('2026-11-24T10:01:00Z'), scheduledUntil: d('2026-11-24T11:00:00Z') }, now)).toBe('in 1 minute');
    expect(startsIn({ scheduledFor: d('2026-11-24T13:00:00Z'), scheduledUntil: d('2026-11-24T14:00:00Z') }, now)).toBe('in 3 hours');
    expect(startsIn({ scheduledFor: d('2026-11-26T10:00:00Z'), scheduledUntil: d('2026-11-27T11:00:00Z') }, now)).toBe('in 2 days');
  });
});
