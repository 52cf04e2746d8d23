/**
 * The 90-day uptime bars of the status page: which components show them, how they are drawn
 * and what they say. Pure; the arithmetic lives in src/domain/uptime.ts and src/domain/uptime-days.ts.
 *
 * A row of bars is drawn as one stroke per tone, made of runs of days ("M12 .5h30": 30 days
 * from day 12), and read out as a sentence for the quiet days and one line per day with
 * issues, so a component costs a few hundred bytes instead of 90 elements with a sentence each.
 */
import { COMPONENT_STATUSES, type ComponentStatus } from '../../domain/vocabulary.js';
import { formatUptime, runsOf, UPTIME_DAYS, type UptimeDay, type UptimeHistory } from '../../domain/uptime.js';
import { sumsWithToday, uptimeFromTotals, type KeptUptimeInput } from '../../domain/uptime-days.js';
import { groupBy } from '../../domain/group-by.js';
import { translator, type Translator } from '../../i18n/translator.js';
import type { KeptUptime } from '../../modules/components/index.js';

/** A bar's class: its day's worst status, or `none` before the component existed. */
export type BarTone = ComponentStatus | 'none';

export interface UptimeBarModel {
  date: string;
  tone: BarTone;
}

/** The bars of one tone, as an SVG path over a viewBox one unit per day: "M12 .5h30M43 .5h1". */
export interface BarStrokeModel {
  tone: BarTone;
  path: string;
}

/** A day with issues, in words: "Nov 12: partial outage for 42 min". */
export interface NotableDayModel {
  date: string;
  tone: BarTone;
  text: string;
}

export interface ComponentUptimeModel {
  days: number;
  /** One bar per UTC day, oldest first. */
  bars: UptimeBarModel[];
  strokes: BarStrokeModel[];
  /**
   * What screen readers hear in place of the bars, before the list of the days with issues:
   * "Aug 27 – Sep 7: no data; Sep 8 – Nov 24: 3 days with issues, listed below; no downtime on the others".
   */
  spokenText: string;
  /** "99.95%", or null when nothing is known yet. */
  uptime: string | null;
  /** "99.95% uptime" or "No data yet", shown beside the bars. */
  uptimeText: string;
  /** The days that were not wholly operational, newest first, for the visible list. */
  notable: NotableDayModel[];
  /** "3 days with issues" */
  notableText: string;
}

export interface UptimeComponentInput {
  id: string;
  showcase: boolean;
  status: ComponentStatus;
  createdAt: Date;
  /** Moves with every status change recorded for the component: what its kept days are as of. */
  uptimeRevision: number;
}

/**
 * How a component's uptime model is made from what was read, in a language: from its window
 * computed whole, or with the window's past days and the model kept between renders (UptimeModelMemo).
 */
export type UptimeModelOf = (component: { id: string; uptimeRevision: number }, input: KeptUptimeInput, i18n: Translator) => ComponentUptimeModel;

const wholeWindow: UptimeModelOf = (_component, input, i18n) => uptimeModel(uptimeFromTotals(input), i18n);

/** Tones in the order their strokes are drawn, so a page renders the same markup every time. */
const TONES: readonly BarTone[] = ['none', ...COMPONENT_STATUSES];

// Days are UTC days, so they are named in UTC (Translator.utcDay): naming them in the display
// zone would call the same day by yesterday's date west of Greenwich, and a DST change would move nothing.

/** "Nov 12: major outage for 5 min, partial outage for 42 min", or "Nov 12: no downtime". */
export function describeDay(day: UptimeDay, i18n: Translator = translator('en')): string {
  const { t } = i18n;
  const label = i18n.utcDay(day.start);
  if (!day.hasData) return t('uptime.dayLine', { day: label, text: t('uptime.noData') });
  const troubles = [...COMPONENT_STATUSES]
    .reverse()
    .filter((s) => s !== 'operational' && day.durations[s] > 0)
    .map((s) => t('uptime.statusFor', { status: t(`statusWord.${s}`), duration: i18n.duration(day.durations[s]) }));
  return t('uptime.dayLine', { day: label, text: troubles.length > 0 ? troubles.join(', ') : t('uptime.noDowntime') });
}

const isQuiet = (tone: BarTone) => tone === 'none' || tone === 'operational';

const span = (first: UptimeDay, last: UptimeDay, i18n: Translator) =>
  first === last ? i18n.utcDay(first.start) : i18n.t('uptime.span', { from: i18n.utcDay(first.start), to: i18n.utcDay(last.start) });

/**
 * The bars in a sentence, with the days with issues left to the list that follows them: "Aug 27
 * – Sep 7: no data; Sep 8 – Nov 24: 3 days with issues, listed below; no downtime on the others".
 * Days without data only ever come first: once a component has a status, it keeps one.
 */
function spokenSummary(days: readonly UptimeDay[], issues: string | null, i18n: Translator): string {
  const { t } = i18n;
  const noData = (first: UptimeDay, last: UptimeDay) => t('uptime.dayLine', { day: span(first, last, i18n), text: t('uptime.noData') });
  const known = days.findIndex((d) => d.hasData);
  if (known === -1) return noData(days[0]!, days.at(-1)!);
  const phrases = known > 0 ? [noData(days[0]!, days[known - 1]!)] : [];
  const rest = issues ? t('uptime.issuesListed', { issues }) : t('uptime.noDowntime');
  phrases.push(t('uptime.dayLine', { day: span(days[known]!, days.at(-1)!, i18n), text: rest }));
  return phrases.join('; ');
}

function strokesOf(tones: readonly BarTone[]): BarStrokeModel[] {
  const runs = runsOf(tones);
  return TONES.flatMap((tone) => {
    const path = runs
      .filter((r) => r.value === tone)
      .map((r) => `M${r.from} .5h${r.length}`)
      .join('');
    return path ? [{ tone, path }] : [];
  });
}

/** A component's uptime model from its window, as the page shows it. */
export function uptimeModel(history: UptimeHistory, i18n: Translator = translator('en')): ComponentUptimeModel {
  const { t } = i18n;
  const days = history.days.length;
  const tones = history.days.map((d): BarTone => d.worst ?? 'none');
  const uptime = history.uptime === null ? null : formatUptime(history.uptime);
  // Only the days with issues are described one by one: a few per component, not 90.
  const notable = history.days
    .filter((_, i) => !isQuiet(tones[i]!))
    .map((d): NotableDayModel => ({ date: d.date, tone: d.worst!, text: describeDay(d, i18n) }))
    .reverse();
  const notableText = t('uptime.daysWithIssues', { count: notable.length });
  return {
    days,
    bars: history.days.map((d, i) => ({ date: d.date, tone: tones[i]! })),
    strokes: strokesOf(tones),
    spokenText: spokenSummary(history.days, notable.length > 0 ? notableText : null, i18n),
    uptime,
    uptimeText: uptime === null ? t('uptime.noDataYet') : t('uptime.percent', { uptime }),
    notable,
    notableText,
  };
}

/**
 * What `uptimeModel` shows of a window's last day (`today`) and of its sums, from its days
 * before today (`past`): with the past days alike, windows alike in this make the same model.
 */
export function todayAsShown(past: UptimeHistory, today: UptimeDay, i18n: Translator): string {
  const tone: BarTone = today.worst ?? 'none';
  // A day with issues is shown as its sentence: its minutes of each trouble, not the operational time that grows with the clock.
  const described = isQuiet(tone) ? '' : describeDay(today, i18n);
  const { uptime } = sumsWithToday(past, today);
  return `${tone}|${described}|${uptime === null ? '' : formatUptime(uptime)}`;
}

/** Each component's kept days and recent changes, by its id: what the models are made from. */
export type KeptUptimeByComponent = ReadonlyMap<string, { days: KeptUptime['days']; recent: KeptUptime['recent'] }>;

/** What was read for many components at once, by component. */
export function byComponent(kept: KeptUptime): KeptUptimeByComponent {
  const days = groupBy(kept.days, (d) => d.componentId);
  const recent = groupBy(kept.recent, (c) => c.componentId);
  return new Map([...new Set([...days.keys(), ...recent.keys()])].map((id) => [id, { days: days.get(id) ?? [], recent: recent.get(id) ?? [] }]));
}

/** Uptime models of the showcased components, by component id. */
export function buildUptimeModels(
  components: readonly UptimeComponentInput[],
  kept: KeptUptimeByComponent,
  now: Date,
  i18n: Translator = translator('en'),
  days: number = UPTIME_DAYS,
  modelOf: UptimeModelOf = wholeWindow,
): Record<string, ComponentUptimeModel> {
  const models: Record<string, ComponentUptimeModel> = {};
  for (const c of components) {
    if (!c.showcase) continue;
    const own = kept.get(c.id);
    models[c.id] = modelOf(c, {
      now,
      days,
      totals: own?.days ?? [],
      recent: own?.recent ?? [],
      createdAt: c.createdAt,
      currentStatus: c.status,
    }, i18n);
  }
  return models;
}
