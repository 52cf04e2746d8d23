/**
 * Pure builders of what the public templates show. Templates only format what they are given;
 * every decision (what is active, what a status is called, how long ago) is made here.
 */
import { latestComponentStatuses, statusLabel } from '../../domain/incident-lifecycle.js';
import { componentStatusLabel, impactOf, pageStatus, worstStatus, type OverallStatus } from '../../domain/status.js';
import type { ComponentStatus, Impact, IncidentStatus } from '../../domain/vocabulary.js';
import { groupBy } from '../../domain/group-by.js';
import { groupByMonth, recentMonths } from '../../domain/calendar-months.js';
import { renderMarkdown } from '../../text/markdown.js';
import { displayTime, formatDuration, timeAgo, utcDay, type DisplayTime } from '../../text/time.js';
import type { IncidentRow, IncidentUpdateRow } from '../../modules/incidents/index.js';

export interface PageContext {
  pageName: string;
  timeZone: string;
  now: Date;
}

export interface ComponentModel {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  statusLabel: string;
}

export interface GroupModel {
  id: string;
  name: string;
  status: ComponentStatus;
  statusLabel: string;
  components: ComponentModel[];
}

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

export interface DayModel {
  date: string;
  label: string;
  incidents: IncidentModel[];
}

export interface StatusPageModel {
  pageName: string;
  overall: OverallStatus;
  activeIncidents: IncidentModel[];
  groups: GroupModel[];
  ungrouped: ComponentModel[];
  days: DayModel[];
  generatedAt: DisplayTime;
}

export interface IncidentPageModel {
  pageName: string;
  incident: IncidentModel;
  generatedAt: DisplayTime;
}

export interface MonthModel {
  label: string;
  incidents: IncidentModel[];
}

export interface HistoryPageModel {
  pageName: string;
  months: MonthModel[];
  page: number;
  newerPage: number | null;
  olderPage: number | null;
  generatedAt: DisplayTime;
}

interface ComponentInput {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  groupId: string | null;
}

interface GroupInput {
  id: string;
  name: string;
}

const IMPACT_LABEL: Record<Impact, string> = {
  none: 'No impact',
  minor: 'Minor impact',
  major: 'Major impact',
  critical: 'Critical impact',
};

/** Days listed under "Past incidents" on the status page, today included. */
export const RECENT_DAYS = 14;

function componentModel(c: ComponentInput): ComponentModel {
  return { id: c.id, name: c.name, description: c.description, status: c.status, statusLabel: componentStatusLabel(c.status) };
}

function updateModel(u: IncidentUpdateRow, ctx: PageContext): UpdateModel {
  const at = u.publishedAt ?? u.createdAt;
  return {
    id: u.id,
    status: u.status,
    statusLabel: statusLabel(u.status),
    bodyHtml: renderMarkdown(u.body),
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

const updatesByIncident = (updates: IncidentUpdateRow[]) => groupBy(updates, (u) => u.incidentId);

/** UTC midnight starting the oldest of the recent days the status page lists. */
export function recentWindowStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (RECENT_DAYS - 1)));
}

export function buildStatusPage(
  input: {
    components: ComponentInput[];
    groups: GroupInput[];
    /** Unresolved public incidents and those of the recent days. */
    incidents: IncidentRow[];
    /** Their published updates, newest first. */
    updates: IncidentUpdateRow[];
  },
  ctx: PageContext,
): StatusPageModel {
  const names = new Map(input.components.map((c) => [c.id, c.name]));
  const updates = updatesByIncident(input.updates);
  const models = input.incidents.map((i) => incidentModel(i, updates.get(i.id) ?? [], names, ctx));
  const active = models.filter((m) => !m.resolved);

  const groups = input.groups.map((g) => {
    const members = input.components.filter((c) => c.groupId === g.id).map(componentModel);
    const status = worstStatus(members.map((m) => m.status));
    return { id: g.id, name: g.name, status, statusLabel: componentStatusLabel(status), components: members };
  });
  const groupIds = new Set(input.groups.map((g) => g.id));

  const today = Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate());
  const firstDay = utcDay(recentWindowStart(ctx.now));
  // An incident is listed on the day it started, or, if that is before the window, on the day
  // it was resolved: a long incident that ended yesterday must not vanish from the page.
  const listedOn = (m: IncidentModel) => {
    const started = utcDay(new Date(m.startedAt.iso));
    return started >= firstDay || !m.resolvedAt ? started : utcDay(new Date(m.resolvedAt.iso));
  };
  const days: DayModel[] = [];
  for (let i = 0; i < RECENT_DAYS; i += 1) {
    const day = new Date(today - i * 86_400_000);
    const date = utcDay(day);
    days.push({
      date,
      label: day.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' }),
      incidents: models.filter((m) => m.resolved && listedOn(m) === date),
    });
  }

  return {
    pageName: ctx.pageName,
    overall: pageStatus(input.components, input.incidents.filter((i) => i.resolvedAt === null)),
    activeIncidents: active,
    groups: groups.filter((g) => g.components.length > 0),
    ungrouped: input.components.filter((c) => !c.groupId || !groupIds.has(c.groupId)).map(componentModel),
    days,
    generatedAt: displayTime(ctx.now, ctx.timeZone),
  };
}

/** Months shown on one page of the history. */
export const MONTHS_PER_PAGE = 3;

/**
 * The [from, to) range of history page `page` (1 = the current month and the two before it),
 * in months of the display zone.
 */
export function historyRange(page: number, now: Date, timeZone = 'UTC'): { from: Date; to: Date } {
  const months = historyMonths(page, now, timeZone);
  return { from: months.at(-1)!.start, to: months[0]!.end };
}

const historyMonths = (page: number, now: Date, timeZone: string) =>
  recentMonths(now, timeZone, MONTHS_PER_PAGE, (page - 1) * MONTHS_PER_PAGE);

export function buildHistoryPage(
  input: {
    page: number;
    incidents: IncidentRow[];
    updates: IncidentUpdateRow[];
    componentNames: ReadonlyMap<string, string>;
    earliest: Date | null;
  },
  ctx: PageContext,
): HistoryPageModel {
  const { from } = historyRange(input.page, ctx.now, ctx.timeZone);
  const updates = updatesByIncident(input.updates);
  const grouped = groupByMonth(historyMonths(input.page, ctx.now, ctx.timeZone), input.incidents, (i) => i.startedAt);
  const months: MonthModel[] = grouped.map(({ month, items }) => ({
    label: month.label,
    incidents: items.map((i) => incidentModel(i, updates.get(i.id) ?? [], input.componentNames, ctx)),
  }));
  return {
    pageName: ctx.pageName,
    months,
    page: input.page,
    newerPage: input.page > 1 ? input.page - 1 : null,
    olderPage: input.earliest && input.earliest < from ? input.page + 1 : null,
    generatedAt: displayTime(ctx.now, ctx.timeZone),
  };
}
