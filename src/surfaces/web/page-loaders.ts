import type { Db } from '../../db/client.js';
import {
  buildHistoryPage,
  buildStatusPage,
  historyRange,
  incidentModel,
  recentWindowStart,
  type HistoryPageModel,
  type IncidentPageModel,
  type PageContext,
  type StatusPageModel,
} from './page-model.js';
import * as repo from '../../modules/incidents/public.js';
import { loadMaintenanceSection } from '../../modules/maintenance/public.js';
import type { MaintenanceSectionModel } from './maintenance-model.js';
import { displayTime } from '../../text/time.js';
import { postmortemModel, type PostmortemModel } from './postmortem-model.js';
import { findPublishedPostmortem } from '../../modules/postmortems/postmortems.repo.js';
import { uptimeWindowStart } from '../../domain/uptime.js';
import { buildUptimeModels, type ComponentUptimeModel } from './uptime-model.js';
import { loadUptimeRows } from '../../modules/components/uptime.repo.js';

export async function loadStatusPage(
  db: Db,
  ctx: PageContext,
): Promise<StatusPageModel & { maintenance: MaintenanceSectionModel; uptime: Record<string, ComponentUptimeModel> }> {
  const [components, groups, incidents, maintenance] = await Promise.all([
    repo.listComponents(db),
    repo.listGroups(db),
    repo.listCurrentIncidents(db, recentWindowStart(ctx.now)),
    loadMaintenanceSection(db, ctx),
  ]);
  const showcased = components.filter((c) => c.showcase).map((c) => c.id);
  const [updates, uptimeRows] = await Promise.all([
    repo.listPublishedUpdates(db, incidents.map((i) => i.id)),
    loadUptimeRows(db, showcased, uptimeWindowStart(ctx.now)),
  ]);
  return {
    ...buildStatusPage({ components, groups, incidents, updates }, ctx),
    maintenance,
    uptime: buildUptimeModels(components, uptimeRows, ctx.now),
  };
}

/** Null when there is no such public incident (drafts included). */
export async function loadIncidentPage(
  db: Db,
  id: string,
  ctx: PageContext,
): Promise<(IncidentPageModel & { postmortem: PostmortemModel | null }) | null> {
  const incident = await repo.findPublicIncident(db, id);
  if (!incident) return null;
  const [updates, components, postmortem] = await Promise.all([
    repo.listPublishedUpdates(db, [id]),
    repo.listComponents(db),
    findPublishedPostmortem(db, id),
  ]);
  const names = new Map(components.map((c) => [c.id, c.name]));
  return {
    pageName: ctx.pageName,
    incident: incidentModel(incident, updates, names, ctx),
    postmortem: postmortem ? postmortemModel(postmortem, ctx.timeZone) : null,
    generatedAt: displayTime(ctx.now, ctx.timeZone),
  };
}

export async function loadHistoryPage(db: Db, page: number, ctx: PageContext): Promise<HistoryPageModel> {
  const { from, to } = historyRange(page, ctx.now, ctx.timeZone);
  const [incidents, components, earliest] = await Promise.all([
    repo.listIncidentsStartedBetween(db, from, to),
    repo.listComponents(db),
    repo.earliestPublicIncidentStart(db),
  ]);
  const updates = await repo.listPublishedUpdates(db, incidents.map((i) => i.id));
  return buildHistoryPage(
    { page, incidents, updates, componentNames: new Map(components.map((c) => [c.id, c.name])), earliest },
    ctx,
  );
}
