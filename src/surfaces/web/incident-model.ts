/**
 * What the public pages show of an incident and its updates: the status page's incident
 * lists, the history and the incident's own page all build it here, so they read alike.
 * Templates only format it; every decision (what a status is called, how long it lasted) is made
 * here. Updates are rendered (Markdown, times) only where they can be shown: the lists of the
 * status page and the history the latest of each incident, an incident's own page all of its.
 */
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import { impactOf } from '../../domain/status.js';
import type { Impact, IncidentStatus } from '../../domain/vocabulary.js';
import { groupBy } from '../../domain/group-by.js';
import { messageIn } from '../../i18n/translations.js';
import type { DisplayTime } from '../../text/time.js';
import type { IncidentRow, IncidentUpdateRow, ListedUpdate } from '../../modules/incidents/index.js';
import type { PageContext } from './route-kit.js';

export interface UpdateModel {
  id: string;
  status: IncidentStatus;
  statusLabel: string;
  bodyHtml: string;
  /** Shown as is; a script in public/ adds "(5 minutes ago)" for readers with JavaScript. */
  publishedAt: DisplayTime;
  isResolution: boolean;
  summary: string | null;
}

/** What every list of incidents shows: no update. */
export interface IncidentSummaryModel {
  id: string;
  url: string;
  title: string;
  impact: Impact;
  impactLabel: string;
  status: IncidentStatus;
  statusLabel: string;
  resolved: boolean;
  startedAt: DisplayTime;
  resolvedAt: DisplayTime | null;
  /** How long it lasted, or has lasted so far. */
  duration: string;
  affected: string[];
  resolutionSummary: string | null;
}

/** An incident with its latest update: the status page's and the history's lists. */
export interface IncidentCardModel extends IncidentSummaryModel {
  latest: UpdateModel | null;
}

/** An incident with all its updates: its own page. */
export interface IncidentModel extends IncidentCardModel {
  /** Newest first; `latest` is the first of them. */
  updates: UpdateModel[];
}

export interface IncidentPageModel {
  pageName: string;
  incident: IncidentModel;
  generatedAt: DisplayTime;
}

/** The update's message as a reader of `lang` sees it, in its language when it was translated. */
export const updateHtml = (u: Pick<IncidentUpdateRow, 'id' | 'body' | 'bodyHtml' | 'translations'>, lang: string): string => messageIn(u, lang).html;

function updateModel(u: ListedUpdate, ctx: PageContext): UpdateModel {
  const at = u.publishedAt ?? u.createdAt;
  // Only an update read with its message is rendered (a list reads its incidents' latest so).
  if (u.body === null) throw new Error(`Update ${u.id} was read without its message`);
  return {
    id: u.id,
    status: u.status,
    statusLabel: ctx.i18n.t(`incidentStatus.${u.status}`),
    bodyHtml: updateHtml({ id: u.id, body: u.body, bodyHtml: u.bodyHtml, translations: u.translations ?? {} }, ctx.i18n.lang),
    publishedAt: ctx.i18n.time(at, ctx.timeZone),
    isResolution: u.kind === 'resolution',
    summary: u.summary,
  };
}

/** Each map of names' order, made once per map: the status page lists hundreds of incidents against one. */
const ranks = new WeakMap<ReadonlyMap<string, string>, ReadonlyMap<string, number>>();

/**
 * The names of the components `ids` names, in the page's own order (the map's), not the order
 * the statuses happen to be stored in; components no longer there are left out.
 */
function inPageOrder(ids: string[], componentNames: ReadonlyMap<string, string>): string[] {
  let rank = ranks.get(componentNames);
  if (!rank) {
    rank = new Map([...componentNames.keys()].map((id, i) => [id, i]));
    ranks.set(componentNames, rank);
  }
  const known = rank;
  return ids
    .filter((id) => known.has(id))
    .sort((a, b) => known.get(a)! - known.get(b)!)
    .map((id) => componentNames.get(id)!);
}

/** `updates` are the incident's published updates, newest first; none of them is rendered. */
function incidentSummary(
  incident: IncidentRow,
  updates: readonly ListedUpdate[],
  componentNames: ReadonlyMap<string, string>,
  ctx: PageContext,
): IncidentSummaryModel {
  const impact = impactOf(incident.severity, incident.impactOverride);
  const touched = new Set(Object.keys(latestComponentStatuses([...updates].reverse())));
  const resolution = updates.find((u) => u.kind === 'resolution');
  return {
    id: incident.id,
    url: `/incidents/${incident.id}`,
    title: incident.title,
    impact,
    impactLabel: ctx.i18n.t(`impact.${impact}`),
    status: incident.status,
    statusLabel: ctx.i18n.t(`incidentStatus.${incident.status}`),
    resolved: incident.resolvedAt !== null,
    startedAt: ctx.i18n.time(incident.startedAt, ctx.timeZone),
    resolvedAt: incident.resolvedAt ? ctx.i18n.time(incident.resolvedAt, ctx.timeZone) : null,
    duration: ctx.i18n.duration((incident.resolvedAt ?? ctx.now).getTime() - incident.startedAt.getTime()),
    affected: inPageOrder([...touched], componentNames),
    resolutionSummary: resolution?.summary ?? null,
  };
}

/** The incident and its latest update, the only one rendered: the only one whose message must be read. */
export function incidentCard(
  incident: IncidentRow,
  updates: readonly ListedUpdate[],
  componentNames: ReadonlyMap<string, string>,
  ctx: PageContext,
): IncidentCardModel {
  const latest = updates[0];
  return { ...incidentSummary(incident, updates, componentNames, ctx), latest: latest ? updateModel(latest, ctx) : null };
}

/** The incident and every update, rendered: its own page. */
export function incidentModel(
  incident: IncidentRow,
  updates: readonly IncidentUpdateRow[],
  componentNames: ReadonlyMap<string, string>,
  ctx: PageContext,
): IncidentModel {
  const models = updates.map((u) => updateModel(u, ctx));
  return { ...incidentSummary(incident, updates, componentNames, ctx), latest: models[0] ?? null, updates: models };
}

/** Published updates by the incident they belong to, each list still newest first. */
export const updatesByIncident = <U extends ListedUpdate>(updates: readonly U[]) => groupBy(updates, (u) => u.incidentId);
