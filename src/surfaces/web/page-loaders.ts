import type { Db } from '../../db/client.js';
import { buildHistoryPage, historyRange, type HistoryPageModel } from './history-model.js';
import { incidentModel, type IncidentPageModel } from './incident-model.js';
import type { PageContext } from './route-kit.js';
import { buildStatusPage, recentWindowStart, type StatusPageModel } from './status-page-model.js';
import { earliestPublicIncidentStart, findPublicIncident, listIncidentsStartedBetween, listPublishedUpdates } from '../../modules/incidents/index.js';
import { listComponents, listGroups } from '../../modules/components/index.js';
import { buildMaintenanceSection, type MaintenanceSectionModel } from './maintenance-model.js';
import { namedMaintenances } from '../../modules/maintenance/index.js';
import { readStatusPageRows, type StatusPageRowsReader } from './status-page-rows.js';
import { utcDay } from '../../text/time.js';
import { postmortemModel, type PostmortemModel } from './postmortem-model.js';
import { findPublishedPostmortem } from '../../modules/postmortems/index.js';
import { UPTIME_DAYS, uptimeWindowStart } from '../../domain/uptime.js';
import { inPageOrder } from '../../domain/page-order.js';
import { buildUptimeModels, byComponent, type ComponentUptimeModel, type KeptUptimeByComponent, type UptimeModelOf } from './uptime-model.js';
import { loadKeptUptime } from '../../modules/components/index.js';
import type { IncidentCardOf } from './incident-card-memo.js';

export interface StatusPageView extends StatusPageModel {
  maintenance: MaintenanceSectionModel;
  uptime: Record<string, ComponentUptimeModel>;
  /** The UTC day of the first bar, YYYY-MM-DD: the page's script names the day under the pointer from it. */
  barsFrom: string;
}

/**
 * How the status page reads its showcased components' kept uptime: all of it once they are
 * read, or through a cache of it that may start reading alongside them.
 */
export type KeptUptimeReader = (db: Db, showcased: Promise<ReadonlyArray<{ id: string; uptimeRevision: number }>>, windowStart: Date, now: Date) => Promise<KeptUptimeByComponent>;

/** The status page's uptime: how it reads the kept days, and how it computes each window from them. */
export interface UptimeSource {
  read: KeptUptimeReader;
  modelOf?: UptimeModelOf;
}

const readAllKeptUptime: KeptUptimeReader = async (db, showcased, windowStart, now) =>
  byComponent(
    await loadKeptUptime(
      db,
      (await showcased).map((c) => c.id),
      windowStart,
      now,
    ),
  );

/** How the status page reads: its rows, and its components' uptime, and makes its incidents' cards. Each afresh unless given a cache. */
export interface StatusPageSources {
  rows?: StatusPageRowsReader;
  uptime?: UptimeSource;
  cardOf?: IncidentCardOf;
}

export async function loadStatusPage(db: Db, ctx: PageContext, sources: StatusPageSources = {}): Promise<StatusPageView> {
  const { rows: readRows = readStatusPageRows, uptime = { read: readAllKeptUptime }, cardOf } = sources;
  const barsFrom = uptimeWindowStart(ctx.now);
  const reading = readRows(db, recentWindowStart(ctx.now));
  const [[components, groups], [incidents, updates], maintenances, keptUptime] = await Promise.all([
    reading.components,
    reading.incidents,
    reading.maintenances,
    // Started with the components, whose uptime revisions say which of its reads stand (see UptimeDaysCache).
    uptime.read(
      db,
      reading.components.then(([rows]) => rows.filter((c) => c.showcase)),
      barsFrom,
      ctx.now,
    ),
  ]);
  return {
    ...buildStatusPage({ components, groups, incidents, updates }, ctx, cardOf),
    maintenance: buildMaintenanceSection(namedMaintenances(maintenances, new Map(components.map((c) => [c.id, c.name]))), ctx),
    uptime: buildUptimeModels(components, keptUptime, ctx.now, ctx.i18n, UPTIME_DAYS, uptime.modelOf),
    barsFrom: utcDay(barsFrom),
  };
}

/** Null when there is no such public incident (drafts included). */
export async function loadIncidentPage(
  db: Db,
  id: string,
  ctx: PageContext,
): Promise<(IncidentPageModel & { postmortem: PostmortemModel | null }) | null> {
  const incident = await findPublicIncident(db, id);
  if (!incident) return null;
  const [updates, components, groups, postmortem] = await Promise.all([
    listPublishedUpdates(db, [id]),
    listComponents(db),
    listGroups(db),
    findPublishedPostmortem(db, id),
  ]);
  const names = new Map(inPageOrder(components, groups).map((c) => [c.id, c.name]));
  return {
    pageName: ctx.pageName,
    incident: incidentModel(incident, updates, names, ctx),
    postmortem: postmortem ? postmortemModel(postmortem, ctx.timeZone, ctx.i18n) : null,
    generatedAt: ctx.i18n.time(ctx.now, ctx.timeZone),
  };
}

export async function loadHistoryPage(db: Db, page: number, ctx: PageContext): Promise<HistoryPageModel> {
  const { from, to } = historyRange(page, ctx.now, ctx.timeZone);
  const [incidents, components, groups, earliest] = await Promise.all([
    listIncidentsStartedBetween(db, from, to),
    listComponents(db),
    listGroups(db),
    earliestPublicIncidentStart(db),
  ]);
  const updates = await listPublishedUpdates(db, incidents.map((i) => i.id));
  return buildHistoryPage(
    { page, incidents, updates, componentNames: new Map(inPageOrder(components, groups).map((c) => [c.id, c.name])), earliest },
    ctx,
  );
}
