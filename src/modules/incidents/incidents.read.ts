import type { DbOrTx } from '../../db/client.js';
import { groupBy } from '../../domain/group-by.js';
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import type { ResponseTargets } from '../../domain/response-clocks.js';
import { Errors } from '../../core/errors.js';
import type { SystemContext } from '../context.js';
import { countsByUpdate } from '../../notifications/deliveries.repo.js';
import { byUrgency, toIncidentDetail, toIncidentView } from './incidents.presenter.js';
import * as repo from './incidents.repo.js';
import { postmortemPublishedAt } from './postmortem-state.repo.js';
import { listReminders } from '../reminders/index.js';
import type { IncidentDetailView, IncidentView } from './incidents.schemas.js';

/** The reading half of the incidents module: lists and details, with their clocks. */

/** The incident as the admin API shows it, its clocks read at `now`. */
export async function detail(tx: DbOrTx, incident: repo.IncidentRow, now: Date, targets: ResponseTargets): Promise<IncidentDetailView> {
  const [updates, notes, published, reminders, deliveries] = await Promise.all([
    repo.listUpdates(tx, incident.id),
    repo.listNotes(tx, incident.id),
    postmortemPublishedAt(tx, [incident.id]),
    listReminders(tx, incident.id),
    countsByUpdate(tx, incident.id),
  ]);
  const view = toIncidentDetail(incident, updates, notes, now, targets, {
    postmortemPublishedAt: published.get(incident.id) ?? null,
    reminders: reminders.map((r) => ({ kind: r.kind, dueAt: r.dueAt.toISOString(), sentAt: r.sentAt.toISOString(), recipients: r.recipients })),
  });
  return { ...view, updates: view.updates.map((u) => ({ ...u, deliveries: deliveries.get(u.id) })) };
}

export const groupByIncident = <T extends { incidentId: string }>(rows: T[]) => groupBy(rows, (row) => row.incidentId);

export async function listIncidents(ctx: SystemContext, state: 'open' | 'resolved' | 'all'): Promise<IncidentView[]> {
  const now = ctx.clock();
  const rows = await repo.listIncidentsWithPublication(ctx.db, state);
  const ids = rows.map((r) => r.incident.id);
  const [claimRows, postmortems] = await Promise.all([repo.listComponentClaims(ctx.db, ids), postmortemPublishedAt(ctx.db, ids)]);
  const claims = groupByIncident(claimRows);
  return rows
    .map((row) =>
      toIncidentView(
        {
          ...row,
          components: latestComponentStatuses(claims.get(row.incident.id) ?? []),
          postmortemPublishedAt: postmortems.get(row.incident.id) ?? null,
        },
        now,
        ctx.targets,
      ),
    )
    .sort(byUrgency);
}

export async function getIncident(ctx: SystemContext, id: string): Promise<IncidentDetailView> {
  const now = ctx.clock();
  const incident = await repo.findIncident(ctx.db, id);
  if (!incident) throw new Errors.notFound('Incident', id);
  return detail(ctx.db, incident, now, ctx.targets);
}

