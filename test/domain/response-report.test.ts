import { describe, expect, it } from 'vitest';
import { DEFAULT_RESPONSE_TARGETS } from '../../src/domain/response-clocks.js';
import { overdueUpdateDelays, percentile, responseReport, type ReportIncident } from '../../src/domain/response-report.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-25T12:00:00Z');
const T = DEFAULT_RESPONSE_TARGETS; // first update 300 s; next update every 900 s (P0/P1), 1800 s (P2/P3)

function incident(overrides: Partial<ReportIncident>): ReportIncident {
  return {
    severity: 'P2',
    startedAt: at('2026-11-24T10:00:00Z'),
    detectedAt: at('2026-11-24T10:00:00Z'),
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    postmortemDueAt: null,
    postmortemPublishedAt: null,
    publicUpdateTimes: [],
    ...overrides,
  };
}

/**
 * A: P1, impact 09:50, detected 10:00, acknowledged 10:04, mitigated 10:30, resolved 11:00.
 *    Updates 10:05 (exactly 300 s: within), 10:25 (gap 20 min: 5 min late), 10:35, 11:00
 *    (gap 25 min: 10 min late). Postmortem due yesterday midnight, unpublished: overdue.
 */
const A = incident({
  severity: 'P1',
  startedAt: at('2026-11-24T09:50:00Z'),
  acknowledgedAt: at('2026-11-24T10:04:00Z'),
  mitigatedAt: at('2026-11-24T10:30:00Z'),
  resolvedAt: at('2026-11-24T11:00:00Z'),
  postmortemDueAt: at('2026-11-25T00:00:00Z'),
  publicUpdateTimes: ['10:25', '10:05', '10:35', '11:00'].map((t) => at(`2026-11-24T${t}:00Z`)),
});
/**
 * B: P1, detected when it started, 12:00; never acknowledged; mitigated and resolved 12:40.
 *    Updates 12:06 (360 s: late), 12:20, 12:40 (gap 20 min: 5 min late). Postmortem due tomorrow.
 */
const B = incident({
  severity: 'P1',
  startedAt: at('2026-11-24T12:00:00Z'),
  detectedAt: at('2026-11-24T12:00:00Z'),
  mitigatedAt: at('2026-11-24T12:40:00Z'),
  resolvedAt: at('2026-11-24T12:40:00Z'),
  postmortemDueAt: at('2026-11-26T00:00:00Z'),
  publicUpdateTimes: ['12:06', '12:20', '12:40'].map((t) => at(`2026-11-24T${t}:00Z`)),
});
/**
 * C: P3, impact 08:00, detected 09:00 today, acknowledged 09:30, still open. Updates 09:01
 *    (60 s) and 09:20; at noon the next was due 09:50, so it is 2 h 10 min (7800 s) overdue.
 */
const C = incident({
  severity: 'P3',
  startedAt: at('2026-11-25T08:00:00Z'),
  detectedAt: at('2026-11-25T09:00:00Z'),
  acknowledgedAt: at('2026-11-25T09:30:00Z'),
  publicUpdateTimes: [at('2026-11-25T09:01:00Z'), at('2026-11-25T09:20:00Z')],
});

describe('percentile (nearest rank)', () => {
  it('is the value at rank ⌈p/100 × n⌉', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(ten, 50)).toBe(5); // rank 5
    expect(percentile(ten, 90)).toBe(9); // rank 9
    expect(percentile(ten, 91)).toBe(10); // rank ⌈9.1⌉ = 10
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile(ten, 0)).toBe(1); // rank at least 1
    expect(percentile([60, 300, 360], 50)).toBe(300); // rank ⌈1.5⌉ = 2
    expect(percentile([60, 300, 360], 90)).toBe(360); // rank ⌈2.7⌉ = 3
    expect(percentile([42], 90)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('overdueUpdateDelays', () => {
  it('each gap longer than the interval is one late update, late by the excess', () => {
    expect(overdueUpdateDelays(A, NOW, 900)).toEqual([300, 600]);
  });
  it('a gap of exactly the interval is on time', () => {
    const exact = incident({ resolvedAt: at('2026-11-24T10:30:00Z'), publicUpdateTimes: [at('2026-11-24T10:00:00Z'), at('2026-11-24T10:30:00Z')] });
    expect(overdueUpdateDelays(exact, NOW, 1800)).toEqual([]);
  });
  it('an open incident counts the gap still running at now', () => {
    expect(overdueUpdateDelays(C, NOW, 1800)).toEqual([7800]);
  });
  it('an incident without public updates has none', () => {
    expect(overdueUpdateDelays(incident({}), NOW, 1800)).toEqual([]);
  });
});

describe('responseReport', () => {
  const report = responseReport([A, B, C], NOW, T);

  it('overall: means over the incidents that have both ends', () => {
    expect(report.overall).toMatchObject({
      count: 3,
      mttd: { meanSeconds: 1400, samples: 3 }, // (600 + 0 + 3600) / 3
      mtta: { meanSeconds: 1020, samples: 2 }, // (240 + 1800) / 2; B never acknowledged
      unacknowledged: 1,
      mttm: { meanSeconds: 2100, samples: 2 }, // (1800 + 2400) / 2; C not mitigated
      mttr: { meanSeconds: 3000, samples: 2 }, // (3600 + 2400) / 2; C open
      postmortemsOverdue: 1, // A
    });
  });

  it('overall: first update p50/p90/max and the share within 5 minutes (exactly 300 s counts)', () => {
    // First updates: A 300, B 360, C 60 → sorted 60, 300, 360.
    expect(report.overall.firstUpdate).toEqual({
      p50Seconds: 300,
      p90Seconds: 360,
      maxSeconds: 360,
      withinTarget: 2,
      withinTargetShare: 2 / 3,
      measured: 3,
    });
  });

  it('overall: overdue updates and by how long', () => {
    // A 300 and 600, B 300, C 7800.
    expect(report.overall.overdueUpdates).toEqual({ count: 4, totalSeconds: 9000, maxSeconds: 7800 });
  });

  it('per severity', () => {
    expect(report.bySeverity.P1).toMatchObject({
      count: 2,
      mttd: { meanSeconds: 300, samples: 2 },
      mtta: { meanSeconds: 240, samples: 1 },
      unacknowledged: 1,
      firstUpdate: { p50Seconds: 300, p90Seconds: 360, maxSeconds: 360, withinTarget: 1, withinTargetShare: 0.5, measured: 2 },
      overdueUpdates: { count: 3, totalSeconds: 1200, maxSeconds: 600 },
      postmortemsOverdue: 1,
    });
    expect(report.bySeverity.P3).toMatchObject({
      count: 1,
      mttr: { meanSeconds: null, samples: 0 },
      firstUpdate: { p50Seconds: 60, p90Seconds: 60, maxSeconds: 60, withinTargetShare: 1 },
      overdueUpdates: { count: 1, totalSeconds: 7800, maxSeconds: 7800 },
    });
    expect(report.bySeverity.P0.count).toBe(0);
    expect(report.bySeverity.P2.count).toBe(0);
  });

  it('an empty range: zero counts, null means and percentiles, no share', () => {
    const empty = responseReport([], NOW, T);
    for (const row of [empty.overall, empty.bySeverity.P0]) {
      expect(row).toEqual({
        count: 0,
        mttd: { meanSeconds: null, samples: 0 },
        mtta: { meanSeconds: null, samples: 0 },
        unacknowledged: 0,
        mttm: { meanSeconds: null, samples: 0 },
        mttr: { meanSeconds: null, samples: 0 },
        firstUpdate: { p50Seconds: null, p90Seconds: null, maxSeconds: null, withinTarget: 0, withinTargetShare: null, measured: 0 },
        overdueUpdates: { count: 0, totalSeconds: 0, maxSeconds: 0 },
        postmortemsOverdue: 0,
      });
    }
  });

  it('300.4 s to the first update is late (seconds round up); an update before a backfilled detection is 0', () => {
    const late = incident({ publicUpdateTimes: [at('2026-11-24T10:05:00.400Z')] });
    const early = incident({ publicUpdateTimes: [at('2026-11-24T09:59:00Z')] });
    expect(responseReport([late, early], NOW, T).overall.firstUpdate).toMatchObject({
      maxSeconds: 301,
      p50Seconds: 0,
      withinTarget: 1,
      withinTargetShare: 0.5,
    });
  });

  it('a published postmortem, or one still inside its due time, is not overdue', () => {
    const published = { ...A, postmortemPublishedAt: at('2026-11-25T11:00:00Z') };
    const onTheDot = { ...A, postmortemDueAt: NOW };
    expect(responseReport([published, onTheDot], NOW, T).overall.postmortemsOverdue).toBe(0);
  });
});
