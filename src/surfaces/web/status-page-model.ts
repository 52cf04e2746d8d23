/**
 * What the status page shows: the headline, the incidents under way, the components by group,
 * and the recent days' resolved incidents. Pure: the loader reads the rows, this decides.
 */
import { inPageOrder } from '../../domain/page-order.js';
import { pageStatus, worstStatus, type OverallStatus } from '../../domain/status.js';
import { DAY_MS, utcDaysStart, utcMidnight } from '../../domain/utc-days.js';
import { groupBy } from '../../domain/group-by.js';
import type { ComponentStatus } from '../../domain/vocabulary.js';
import { utcDay, type DisplayTime } from '../../text/time.js';
import type { IncidentRow, ListedUpdate } from '../../modules/incidents/index.js';
import { incidentCard, updatesByIncident, type IncidentCardModel } from './incident-model.js';
import type { IncidentCardOf } from './incident-card-memo.js';
import type { PageContext } from './route-kit.js';

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

export interface DayModel {
  date: string;
  label: string;
  incidents: IncidentCardModel[];
}

export interface StatusPageModel {
  pageName: string;
  overall: OverallStatus;
  activeIncidents: IncidentCardModel[];
  groups: GroupModel[];
  ungrouped: ComponentModel[];
  days: DayModel[];
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

/** Days listed under "Past incidents" on the status page, today included. */
export const RECENT_DAYS = 14;

function componentModel(c: ComponentInput, ctx: PageContext): ComponentModel {
  return { id: c.id, name: c.name, description: c.description, status: c.status, statusLabel: ctx.i18n.t(`componentStatus.${c.status}`) };
}

/** UTC midnight starting the oldest of the recent days the status page lists. */
export function recentWindowStart(now: Date): Date {
  return utcDaysStart(now, RECENT_DAYS);
}

export function buildStatusPage(
  input: {
    components: ComponentInput[];
    groups: GroupInput[];
    /** Unresolved public incidents and those of the recent days. */
    incidents: IncidentRow[];
    /** Their published updates, newest first: only each one's latest is rendered, so only it needs its message. */
    updates: ListedUpdate[];
  },
  ctx: PageContext,
  cardOf: IncidentCardOf = incidentCard,
): StatusPageModel {
  const names = new Map(inPageOrder(input.components, input.groups).map((c) => [c.id, c.name]));
  const updates = updatesByIncident(input.updates);
  const models = input.incidents.map((i) => cardOf(i, updates.get(i.id) ?? [], names, ctx));
  const active = models.filter((m) => !m.resolved);

  const groups = input.groups.map((g) => {
    const members = input.components.filter((c) => c.groupId === g.id).map((c) => componentModel(c, ctx));
    const status = worstStatus(members.map((m) => m.status));
    return { id: g.id, name: g.name, status, statusLabel: ctx.i18n.t(`componentStatus.${status}`), components: members };
  });
  const groupIds = new Set(input.groups.map((g) => g.id));

  const today = utcMidnight(ctx.now.getTime());
  const firstDay = utcDay(recentWindowStart(ctx.now));
  // An incident is listed on the day it started, or, if that is before the window, on the day
  // it was resolved: a long incident that ended yesterday must not vanish from the page.
  const listedOn = (m: IncidentCardModel) => {
    const started = m.startedAt.iso.slice(0, 10);
    return started >= firstDay || !m.resolvedAt ? started : m.resolvedAt.iso.slice(0, 10);
  };
  const byDay = groupBy(
    models.filter((m) => m.resolved),
    listedOn,
  );
  const days: DayModel[] = [];
  for (let i = 0; i < RECENT_DAYS; i += 1) {
    const day = new Date(today - i * DAY_MS);
    const date = utcDay(day);
    days.push({ date, label: ctx.i18n.utcDay(day, true), incidents: byDay.get(date) ?? [] });
  }

  const overall = pageStatus(input.components, input.incidents.filter((i) => i.resolvedAt === null));
  return {
    pageName: ctx.pageName,
    overall: { ...overall, description: ctx.i18n.t(`overall.${overall.indicator}`) },
    activeIncidents: active,
    groups: groups.filter((g) => g.components.length > 0),
    ungrouped: input.components.filter((c) => !c.groupId || !groupIds.has(c.groupId)).map((c) => componentModel(c, ctx)),
    days,
    generatedAt: ctx.i18n.time(ctx.now, ctx.timeZone),
  };
}
