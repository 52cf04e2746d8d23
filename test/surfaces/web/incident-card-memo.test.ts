import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { IncidentRow, IncidentUpdateRow } from '../../../src/modules/incidents/public.js';
import { translator } from '../../../src/i18n/translator.js';
import { IncidentCardMemo } from '../../../src/surfaces/web/incident-card-memo.js';
import * as incidents from '../../../src/surfaces/web/incident-model.js';
import type { PageContext } from '../../../src/surfaces/web/route-kit.js';
import { incidentRow } from '../../helpers/rows.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const ctx: PageContext = { pageName: 'Example Status', timeZone: 'UTC', now: NOW, i18n: translator('en') };
const api = randomUUID();
const db = randomUUID();

function resolvedIncident(): IncidentRow {
  const startedAt = new Date(NOW.getTime() - 3 * 3_600_000);
  return incidentRow(randomUUID(), startedAt, { title: 'API errors', severity: 'P2', status: 'resolved', resolvedAt: new Date(startedAt.getTime() + 45 * 60_000) });
}

function update(of: IncidentRow, over: Partial<IncidentUpdateRow> = {}): IncidentUpdateRow {
  return {
    id: randomUUID(),
    seq: 1,
    incidentId: of.id,
    status: 'investigating',
    body: 'We are looking into it.',
    bodyHtml: null,
    translations: {},
    componentStatuses: { [api]: 'partial_outage', [db]: 'degraded_performance' },
    notify: true,
    kind: 'update',
    summary: null,
    authorId: null,
    createdAt: of.startedAt,
    publishedAt: of.startedAt,
    ...over,
  };
}

describe('IncidentCardMemo', () => {
  it('gives a resolved incident’s card as made afresh, made again only when what it is made from changed', () => {
    const memo = new IncidentCardMemo();
    const made = vi.spyOn(incidents, 'incidentCard');
    try {
      const incident = resolvedIncident();
      const updates = [update(incident)];
      const names = new Map([
        [api, 'API'],
        [db, 'Database'],
      ]);
      const card = (u = updates, n: ReadonlyMap<string, string> = names, c = ctx) => {
        const got = memo.cardOf(incident, u, n, c);
        expect(got).toEqual(incidents.incidentCard(incident, u, n, c));
        return got;
      };
      const first = card();
      const calls = () => made.mock.calls.length;
      // Another render: a new list of the same updates, a new map of the same names, a later clock.
      let before = calls();
      expect(card([...updates], new Map(names), { ...ctx, now: new Date(NOW.getTime() + 60_000) })).toBe(first);
      expect(calls() - before).toBe(1); // the fresh card the check above made, and no other

      // Each thing a card is made from makes it again: a renamed or reordered component, a new update, the language, the zone.
      const changes: Array<[string, () => incidents.IncidentCardModel]> = [
        ['renamed', () => card(updates, new Map([[api, 'Public API'], [db, 'Database']]))],
        ['reordered', () => card(updates, new Map([[db, 'Database'], [api, 'Public API']]))],
        ['new update', () => card([update(incident, { status: 'resolved', kind: 'resolution', summary: 'A bad deploy.' }), ...updates], new Map([[db, 'Database'], [api, 'Public API']]))],
        ['language', () => card(updates, names, { ...ctx, i18n: translator('de') })],
        ['zone', () => card(updates, names, { ...ctx, timeZone: 'Asia/Tokyo' })],
      ];
      let previous = first;
      for (const [what, change] of changes) {
        before = calls();
        const next = change();
        expect(calls() - before, what).toBe(2);
        expect(next, what).not.toBe(previous);
        previous = next;
      }
    } finally {
      made.mockRestore();
    }
  });

  it('makes an unresolved incident’s card afresh each time: it says how long the incident has lasted so far', () => {
    const memo = new IncidentCardMemo();
    const incident = incidentRow(randomUUID(), new Date(NOW.getTime() - 30 * 60_000), { title: 'Slow logins', severity: 'P2' });
    const updates = [update(incident)];
    const names = new Map([[api, 'API']]);
    const first = memo.cardOf(incident, updates, names, ctx);
    const later = memo.cardOf(incident, updates, names, { ...ctx, now: new Date(NOW.getTime() + 60 * 60_000) });
    expect(later.duration).not.toBe(first.duration);
    expect(later).toEqual(incidents.incidentCard(incident, updates, names, { ...ctx, now: new Date(NOW.getTime() + 60 * 60_000) }));
  });
});
