import { COMPONENT_STATUSES, type ComponentStatus, type Severity } from './vocabulary.js';

/**
 * A third-party status page that speaks Statuspage v2, mirrored onto one of our components:
 * how its statuses read in our vocabulary, where its summary lives, and how often to ask again.
 */

/** Statuspage's component statuses are ours, name for name. */
const COMPONENT_STATUS_SET: ReadonlySet<string> = new Set(COMPONENT_STATUSES);

/** Statuspage's page indicator, as the status of a component that stands for the whole page. */
const INDICATOR_STATUS: ReadonlyMap<string, ComponentStatus> = new Map([
  ['none', 'operational'],
  ['minor', 'degraded_performance'],
  ['major', 'partial_outage'],
  ['critical', 'major_outage'],
  ['maintenance', 'under_maintenance'],
]);

/** What a vendor's summary must hold for us to read a status from it (the shape is checked before). */
export interface VendorSummary {
  page: { name: string };
  status: { indicator: string; description?: string };
  components?: ReadonlyArray<{ id: string; name: string; status: string }>;
}

export type VendorReading = { ok: true; status: ComponentStatus; name: string } | { ok: false; reason: string };

/**
 * The status a summary gives the thing we follow: one of its components when `componentId` is
 * set, else the page's overall indicator. A value outside Statuspage's vocabulary is a failure,
 * not a guess: our component keeps its status.
 */
export function readVendorStatus(summary: VendorSummary, componentId: string | null): VendorReading {
  if (componentId === null) {
    const status = INDICATOR_STATUS.get(summary.status.indicator);
    if (!status) return { ok: false, reason: `the page indicator "${clip(summary.status.indicator)}" is not one of Statuspage's` };
    return { ok: true, status, name: summary.page.name };
  }
  const component = summary.components?.find((c) => c.id === componentId);
  if (!component) return { ok: false, reason: `the page lists no component "${clip(componentId)}"` };
  if (!COMPONENT_STATUS_SET.has(component.status)) {
    return { ok: false, reason: `component "${clip(componentId)}" has the status "${clip(component.status)}", not one of Statuspage's` };
  }
  return { ok: true, status: component.status as ComponentStatus, name: `${summary.page.name}: ${component.name}` };
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

const SUMMARY_PATH = 'api/v2/summary.json';

/**
 * The summary document of a page: a URL already ending in `summary.json` is kept, anything else
 * is taken for the page's root (`https://status.example.com`, `…/`) and gets `/api/v2/summary.json`.
 * The fragment is dropped (it never reaches the server). Throws on what is not a URL.
 */
export function summaryUrl(raw: string): string {
  const url = new URL(raw.trim());
  url.hash = '';
  if (!url.pathname.endsWith('/summary.json')) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${SUMMARY_PATH}`;
  }
  return url.toString();
}

export interface PollSchedule {
  /** The wait after a good answer, and after the first failure. */
  intervalMs: number;
  /** The longest wait after failures. */
  maxBackoffMs: number;
}

/**
 * When to ask again after `failures` failures in a row (0 after a good answer): the interval,
 * doubled for each failure after the first, up to the cap. A page that is down is asked less
 * and less often, and again at the normal pace once it answers.
 */
export function nextPollDelayMs(failures: number, schedule: PollSchedule): number {
  if (failures <= 1) return schedule.intervalMs;
  return Math.min(schedule.intervalMs * 2 ** (failures - 1), Math.max(schedule.maxBackoffMs, schedule.intervalMs));
}

/** Worse than working: a vendor's maintenance is planned and opens no draft. */
export function isDegraded(status: ComponentStatus): boolean {
  return status !== 'operational' && status !== 'under_maintenance';
}

/**
 * The severity of the draft a vendor's trouble opens: one step below what the same status set
 * by an alert would mean (see `componentStatusFor`), since how much a provider's trouble hurts
 * us is for the responder to judge when they take the draft.
 */
export function draftSeverityFor(status: ComponentStatus): Severity {
  if (status === 'major_outage') return 'P1';
  if (status === 'partial_outage') return 'P2';
  return 'P3';
}
