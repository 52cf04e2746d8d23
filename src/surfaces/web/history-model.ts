/**
 * What the history shows: the public incidents month by month, MONTHS_PER_PAGE months a page,
 * newest first, in months of the display zone.
 */
import { groupByMonth, recentMonths } from '../../domain/calendar-months.js';
import type { DisplayTime } from '../../text/time.js';
import type { IncidentRow, ListedUpdate } from '../../modules/incidents/index.js';
import { incidentCard, updatesByIncident, type IncidentCardModel } from './incident-model.js';
import type { PageContext } from './route-kit.js';

export interface MonthModel {
  label: string;
  incidents: IncidentCardModel[];
}

export interface HistoryPageModel {
  pageName: string;
  months: MonthModel[];
  page: number;
  newerPage: number | null;
  olderPage: number | null;
  generatedAt: DisplayTime;
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
    updates: ListedUpdate[];
    componentNames: ReadonlyMap<string, string>;
    earliest: Date | null;
  },
  ctx: PageContext,
): HistoryPageModel {
  const { from } = historyRange(input.page, ctx.now, ctx.timeZone);
  const updates = updatesByIncident(input.updates);
  const grouped = groupByMonth(historyMonths(input.page, ctx.now, ctx.timeZone), input.incidents, (i) => i.startedAt);
  const months: MonthModel[] = grouped.map(({ month, items }) => ({
    label: ctx.i18n.month(month.year, month.month),
    incidents: items.map((i) => incidentCard(i, updates.get(i.id) ?? [], input.componentNames, ctx)),
  }));
  return {
    pageName: ctx.pageName,
    months,
    page: input.page,
    newerPage: input.page > 1 ? input.page - 1 : null,
    olderPage: input.earliest && input.earliest < from ? input.page + 1 : null,
    generatedAt: ctx.i18n.time(ctx.now, ctx.timeZone),
  };
}
