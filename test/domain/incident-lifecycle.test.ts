import { describe, it, expect } from 'vitest';
import {
  checkUpdateTransition,
  latestComponentStatuses,
  statusLabel,
  statusesAfterResolution,
} from '../../src/domain/incident-lifecycle.js';
import type { ComponentStatus, IncidentStatus } from '../../src/domain/vocabulary.js';

/** Why a transition is refused, by the rule that refuses it. */
type Verdict = 'ok' | 'backward' | 'to-resolved' | 'from-resolved';

const REASON: Record<Exclude<Verdict, 'ok'>, RegExp> = {
  backward: /cannot go back/,
  'to-resolved': /resolution announcement/,
  'from-resolved': /reopen it first/,
};

describe('checkUpdateTransition', () => {
  // All 16 (from, to) pairs, worked out from the rules: same or forward is fine (steps may be
  // skipped), backward is a reopen, resolving is the resolution announcement's job, and a resolved
  // incident takes no update until reopened (that rule wins for resolved → resolved too).
  it.each<[IncidentStatus, IncidentStatus, Verdict]>([
    ['investigating', 'investigating', 'ok'],
    ['investigating', 'identified', 'ok'],
    ['investigating', 'monitoring', 'ok'],
    ['investigating', 'resolved', 'to-resolved'],
    ['identified', 'investigating', 'backward'],
    ['identified', 'identified', 'ok'],
    ['identified', 'monitoring', 'ok'],
    ['identified', 'resolved', 'to-resolved'],
    ['monitoring', 'investigating', 'backward'],
    ['monitoring', 'identified', 'backward'],
    ['monitoring', 'monitoring', 'ok'],
    ['monitoring', 'resolved', 'to-resolved'],
    ['resolved', 'investigating', 'from-resolved'],
    ['resolved', 'identified', 'from-resolved'],
    ['resolved', 'monitoring', 'from-resolved'],
    ['resolved', 'resolved', 'from-resolved'],
  ])('%s → %s: %s', (from, to, verdict) => {
    const check = checkUpdateTransition(from, to);
    if (verdict === 'ok') {
      expect(check).toEqual({ ok: true });
    } else {
      expect(check).toEqual({ ok: false, reason: expect.stringMatching(REASON[verdict]) });
    }
  });

  it('names both statuses when refusing to go back', () => {
    expect(checkUpdateTransition('monitoring', 'investigating')).toEqual({
      ok: false,
      reason: 'An incident cannot go back from monitoring to investigating',
    });
  });
});

describe('statusLabel', () => {
  it.each<[IncidentStatus, string]>([
    ['investigating', 'Investigating'],
    ['identified', 'Identified'],
    ['monitoring', 'Monitoring'],
    ['resolved', 'Resolved'],
  ])('labels %s as "%s"', (status, label) => {
    expect(statusLabel(status)).toBe(label);
  });
});

describe('statusesAfterResolution', () => {
  const noOtherIncidents = new Map<string, ComponentStatus[]>();

  it('returns every affected component to operational by default', () => {
    expect(statusesAfterResolution(['api', 'web'], noOtherIncidents)).toEqual({
      api: 'operational',
      web: 'operational',
    });
  });

  it('is empty when the incident affected nothing', () => {
    expect(statusesAfterResolution([], noOtherIncidents)).toEqual({});
  });

  // Resolving one of two overlapping incidents must not mark a still-broken component operational.
  it('leaves a component held by other open incidents at the worst status they last set', () => {
    const held = new Map<string, ComponentStatus[]>([
      ['api', ['degraded_performance', 'major_outage', 'partial_outage']],
      ['db', ['under_maintenance']],
    ]);
    expect(statusesAfterResolution(['api', 'db', 'web'], held)).toEqual({
      api: 'major_outage',
      db: 'under_maintenance',
      web: 'operational',
    });
  });

  it('treats an empty hold as operational', () => {
    expect(statusesAfterResolution(['api'], new Map([['api', []]]))).toEqual({ api: 'operational' });
  });

  it('ignores holds on components this incident did not affect', () => {
    const held = new Map<string, ComponentStatus[]>([['cdn', ['major_outage']]]);
    expect(statusesAfterResolution(['api'], held)).toEqual({ api: 'operational' });
  });

  it('lets explicit statuses win over both the default and other holds', () => {
    const held = new Map<string, ComponentStatus[]>([['api', ['major_outage']]]);
    const explicit = { api: 'degraded_performance', web: 'partial_outage' } as const;
    expect(statusesAfterResolution(['api', 'web', 'db'], held, explicit)).toEqual({
      api: 'degraded_performance',
      web: 'partial_outage',
      db: 'operational',
    });
  });

  it('lets an explicit status be milder than what another incident holds', () => {
    const held = new Map<string, ComponentStatus[]>([['api', ['major_outage']]]);
    expect(statusesAfterResolution(['api'], held, { api: 'operational' })).toEqual({ api: 'operational' });
  });

  it('passes through an explicit status for a component the incident had not touched', () => {
    expect(statusesAfterResolution(['api'], noOtherIncidents, { cdn: 'degraded_performance' })).toEqual({
      api: 'operational',
      cdn: 'degraded_performance',
    });
  });

  it('accepts any iterable of component ids', () => {
    expect(statusesAfterResolution(new Set(['api', 'web']), noOtherIncidents)).toEqual({
      api: 'operational',
      web: 'operational',
    });
  });
});

describe('latestComponentStatuses', () => {
  it('is empty with no updates', () => {
    expect(latestComponentStatuses([])).toEqual({});
  });

  it('lets later updates override earlier ones and keeps what they do not mention', () => {
    expect(
      latestComponentStatuses([
        { componentStatuses: { api: 'major_outage', web: 'degraded_performance' } },
        { componentStatuses: {} },
        { componentStatuses: { api: 'partial_outage', db: 'under_maintenance' } },
        { componentStatuses: { api: 'degraded_performance' } },
      ]),
    ).toEqual({ api: 'degraded_performance', web: 'degraded_performance', db: 'under_maintenance' });
  });

  // The latest claim wins even when it is better: recovery must show, not the worst ever seen.
  it('takes the latest status, not the worst', () => {
    const recovery = [
      { componentStatuses: { api: 'major_outage' as const } },
      { componentStatuses: { api: 'operational' as const } },
    ];
    expect(latestComponentStatuses(recovery)).toEqual({ api: 'operational' });
  });

  it('does not modify the updates it reads', () => {
    const first = { componentStatuses: { api: 'major_outage' as const } };
    const second = { componentStatuses: { api: 'operational' as const } };
    latestComponentStatuses([first, second]);
    expect(first.componentStatuses).toEqual({ api: 'major_outage' });
    expect(second.componentStatuses).toEqual({ api: 'operational' });
  });
});
