/**
 * What the public pages show of an incident and its updates: the status page's incident
 * lists, the history and the incident's own page all build it here, so they read alike.
 * Templates only format it; every decision (what a status is called, how long ago) is made here.
 */
import { latestComponentStatuses, statusLabel } from '../../domain/incident-lifecycle.js';
import { impactOf } from '../../domain/status.js';
import type { Impact, IncidentStatus } from '../../domain/vocabulary.js';
import { groupBy } from '../../domain/group-by.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import { displayTime, formatDuration, timeAgo, type DisplayTime } from '../../text/time.js';
import type { IncidentRow, IncidentUpdateRow } from '../../modules/incidents/index.js';
import type { PageContext } from './route-kit.js';

export interface UpdateModel {
  id: string;
  status: IncidentStatus;
  statusLabel: string;
  bodyHtml: string;
  publishedAt: DisplayTime;
  ago: string;
  isResolution: boolean;
  summary: string | null;
}

export interface IncidentModel {
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
  latest: UpdateModel | null;
  updates: UpdateModel[];
  resolutionSummary: string | null;
}

export interface IncidentPageModel {
  pageName: string;
  incident: IncidentModel;
  generatedAt: DisplayTime;
}

const IMPACT_LABEL: Record<Impact, string> = {
  none: 'No impact',
  minor: 'Minor impact',
  major: 'Major impact',
  critical: 'Critical impact',
};

function updateModel(u: IncidentUpdateRow, ctx: PageContext): UpdateModel {
  const at = u.publishedAt ?? u.createdAt;
  return {
    id: u.id,
    status: u.status,
    statusLabel: statusLabel(u.status),
    bodyHtml: storedMarkdownHtml({ id: u.id, source: u.body, html: u.bodyHtml }),
    publishedAt: displayTime(at, ctx.timeZone),
    ago: timeAgo(at, ctx.now),
    isResolution: u.kind === 'resolution',
    summary: u.summary,
  };
}

/** `updates` are the incident's published updates, newest first. */
export function incidentModel(
  incident: IncidentRow,
  updates: IncidentUpdateRow[],
  componentNames: ReadonlyMap<string, string>,
  ctx: PageContext,
): IncidentModel {
  const impact = impactOf(incident.severity, incident.impactOverride);
  const models = updates.map((u) => updateModel(u, ctx));
  const touched = Object.keys(latestComponentStatuses([...updates].reverse()));
  const resolution = updates.find((u) => u.kind === 'resolution');
  return {
    id: incident.id,
    url: `/incidents/${incident.id}`,
    title: incident.title,
    impact,
    impactLabel: IMPACT_LABEL[impact],
    status: incident.status,
    statusLabel: statusLabel(incident.status),
    resolved: incident.resolvedAt !== null,
    startedAt: displayTime(incident.startedAt, ctx.timeZone),
    resolvedAt: incident.resolvedAt ? displayTime(incident.resolvedAt, ctx.timeZone) : null,
    duration: formatDuration((incident.resolvedAt ?? ctx.now).getTime() - incident.startedAt.getTime()),
    affected: touched.flatMap((id) => componentNames.get(id) ?? []),
    latest: models[0] ?? null,
    updates: models,
    resolutionSummary: resolution?.summary ?? null,
  };
}

/** Published updates by the incident they belong to, each list still newest first. */
export const updatesByIncident = (updates: IncidentUpdateRow[]) => groupBy(updates, (u) => u.incidentId);
