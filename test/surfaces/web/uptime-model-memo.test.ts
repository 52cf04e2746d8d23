import { describe, expect, it } from 'vitest';
import { uptimeFromTotals, type KeptUptimeInput } from '../../../src/domain/uptime-days.js';
import type { StatusChange } from '../../../src/domain/uptime.js';
import { UptimeModelMemo } from '../../../src/surfaces/web/uptime-model-memo.js';
import { uptimeModel } from '../../../src/surfaces/web/uptime-model.js';
import { translator } from '../../../src/i18n/translator.js';

const EN = translator('en');
import { keep, recentOf, record, totalsOf, type KeptHistory } from '../../helpers/kept-uptime.js';

const ID = '00000000-0000-4000-8000-00000000000a';
const at = (iso: string) => new Date(iso);
const change = (iso: string, status: StatusChange['status']): StatusChange => ({ at: at(iso), status });
/** The model made from the window computed whole. */
const whole = (i: KeptUptimeInput) => uptimeModel(uptimeFromTotals(i));
const input = (kept: KeptHistory, now: Date): KeptUptimeInput => ({ now, totals: totalsOf(kept), recent: recentOf(kept, now) });

describe('UptimeModelMemo', () => {
  it('computes a window again when a change lands in its past days without moving the recent changes', () => {
    // A backdated change (an incident entered after the fact) changes closed days only: the
    // last change before now is the same, so only the revision says the past days moved.
    const kept = keep([change('2026-11-01T00:00:00Z', 'operational'), change('2026-11-22T10:00:00Z', 'major_outage'), change('2026-11-22T11:00:00Z', 'operational')]);
    const memo = new UptimeModelMemo();
    const now = at('2026-11-24T12:00:00Z');
    const before = memo.modelOf({ id: ID, uptimeRevision: 3 }, input(kept, now), EN);
    expect(before).toEqual(whole(input(kept, now)));

    record(kept, change('2026-11-15T08:00:00Z', 'partial_outage'));
    record(kept, change('2026-11-15T09:00:00Z', 'operational'));
    const after = memo.modelOf({ id: ID, uptimeRevision: 5 }, input(kept, now), EN);
    expect(after).toEqual(whole(input(kept, now)));
    expect(after).not.toEqual(before);
  });

  it('adds today as the clock runs, and starts a new window at midnight', () => {
    const kept = keep([change('2026-11-01T00:00:00Z', 'operational'), change('2026-11-24T09:00:00Z', 'partial_outage')]);
    const memo = new UptimeModelMemo();
    for (const iso of ['2026-11-24T10:00:00Z', '2026-11-24T16:30:00Z', '2026-11-24T23:59:59.999Z', '2026-11-25T00:00:00Z', '2026-11-26T08:00:00Z']) {
      const now = at(iso);
      expect(memo.modelOf({ id: ID, uptimeRevision: 2 }, input(kept, now), EN), iso).toEqual(whole(input(kept, now)));
    }
  });

  it('makes the model again only when what it shows changed', () => {
    const kept = keep([change('2026-11-01T00:00:00Z', 'operational'), change('2026-11-20T10:00:00Z', 'major_outage'), change('2026-11-20T11:00:00Z', 'operational')]);
    const memo = new UptimeModelMemo();
    const component = { id: ID, uptimeRevision: 3 };
    const first = memo.modelOf(component, input(kept, at('2026-11-24T10:00:00Z')), EN);
    // A minute on, the percentage still rounds the same: the same model, not a new one.
    expect(memo.modelOf(component, input(kept, at('2026-11-24T10:01:00Z')), EN)).toBe(first);
    record(kept, change('2026-11-24T10:02:00Z', 'partial_outage'));
    const now = at('2026-11-24T10:30:00Z');
    const changed = memo.modelOf({ ...component, uptimeRevision: 4 }, input(kept, now), EN);
    expect(changed).not.toBe(first);
    expect(changed).toEqual(whole(input(kept, now)));
  });
});
