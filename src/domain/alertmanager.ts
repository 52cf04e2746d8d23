import { SEVERITIES, type ComponentStatus, type Severity } from './vocabulary.js';

/**
 * The arithmetic of alert intake, apart from HTTP and SQL: which severity an alert group maps
 * to, what its draft incident is called, when it was detected, and what changed since the
 * group's last post. Shapes follow Alertmanager's webhook payload (version 4).
 */

export interface AlertLike {
  status: 'firing' | 'resolved';
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alert severity label → incident severity. Configurable (`ALERT_SEVERITY_MAP`). */
export type SeverityMap = Readonly<Record<string, Severity>>;

export const DEFAULT_SEVERITY_MAP: SeverityMap = { critical: 'P1', warning: 'P2', info: 'P3' };

/**
 * `critical:P1,warning:P2,info:P3` → `{ critical: 'P1', … }`, label values in lower case.
 * Throws on anything else, so a typo stops the server instead of mapping alerts wrongly.
 */
export function parseSeverityMap(text: string): Record<string, Severity> {
  const map: Record<string, Severity> = {};
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([^:\s]+)\s*:\s*(P[0-3])$/i.exec(entry);
    if (!match) throw new Error(`"${entry}" is not label:severity (severity P0 to P3)`);
    map[match[1]!.toLowerCase()] = match[2]!.toUpperCase() as Severity;
  }
  return map;
}

/**
 * The incident severity for an alert's `severity` label: `P0`…`P3` themselves, then the map
 * (case-insensitive), then the fallback. Of several alerts, the most severe wins.
 */
export function severityFor(labels: ReadonlyArray<string | undefined>, map: SeverityMap, fallback: Severity): Severity {
  const mapped = labels.map((label) => {
    const value = label?.trim().toLowerCase();
    if (!value) return fallback;
    const own = SEVERITIES.find((s) => s.toLowerCase() === value);
    return own ?? (Object.hasOwn(map, value) ? map[value]! : fallback);
  });
  if (mapped.length === 0) return fallback;
  return mapped.reduce((worst, s) => (SEVERITIES.indexOf(s) < SEVERITIES.indexOf(worst) ? s : worst));
}

/** What an alert-opened incident claims on its components, by severity. */
export function componentStatusFor(severity: Severity): ComponentStatus {
  const bySeverity: Record<Severity, ComponentStatus> = {
    P0: 'major_outage',
    P1: 'partial_outage',
    P2: 'degraded_performance',
    P3: 'degraded_performance',
  };
  return bySeverity[severity];
}

const TITLE_MAX = 200;

/** The `summary` annotation of the first alert that has one, else the group's, else `alertname`. */
export function alertTitle(
  alerts: readonly AlertLike[],
  common: { labels: Readonly<Record<string, string>>; annotations: Readonly<Record<string, string>> },
): string {
  const candidates = [
    ...alerts.map((a) => a.annotations.summary),
    common.annotations.summary,
    ...alerts.map((a) => a.labels.alertname),
    common.labels.alertname,
  ];
  const title = candidates.map((c) => c?.trim()).find((c) => c) ?? 'Alert firing';
  return title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title;
}

/**
 * The earliest `startsAt` of the firing alerts: when we knew. Never later than `now`. Go's zero
 * time (`0001-01-01T00:00:00Z`) means "unset" to Alertmanager, so it and anything else before
 * the Unix epoch is no start time: taken as one, it dated detection 2,000 years back and
 * breached every clock and report mean with it.
 */
export function detectedAt(alerts: readonly AlertLike[], now: Date): Date {
  const starts = alerts
    .filter((a) => a.status === 'firing')
    .map((a) => new Date(a.startsAt).getTime())
    .filter((t) => Number.isFinite(t) && t > 0);
  // A clock ahead of ours must not put detection in the future.
  return new Date(Math.min(now.getTime(), ...starts));
}

export interface AlertChanges {
  /** Firing now and not before. */
  newlyFiring: AlertLike[];
  /** Firing before (or unknown) and resolved now. */
  resolved: AlertLike[];
  /** Fingerprints firing after this post. */
  firing: string[];
}

/** What a post changes against the fingerprints the group had firing before. */
export function alertChanges(previouslyFiring: readonly string[], alerts: readonly AlertLike[]): AlertChanges {
  const before = new Set(previouslyFiring);
  const firing = new Set(previouslyFiring);
  const newlyFiring: AlertLike[] = [];
  const resolved: AlertLike[] = [];
  for (const alert of alerts) {
    if (alert.status === 'firing') {
      if (!before.has(alert.fingerprint)) newlyFiring.push(alert);
      firing.add(alert.fingerprint);
    } else {
      if (before.has(alert.fingerprint)) resolved.push(alert);
      firing.delete(alert.fingerprint);
    }
  }
  return { newlyFiring, resolved, firing: [...firing].sort() };
}

/** One line per alert for the internal note: name, labels, summary, description, source. */
export function describeAlert(alert: AlertLike): string {
  const { alertname, ...rest } = alert.labels;
  const labels = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  const parts = [`${alertname ?? 'alert'}${labels ? ` {${labels}}` : ''}`];
  const since = alert.status === 'firing' ? `since ${alert.startsAt}` : `ended ${alert.endsAt}`;
  parts.push(since);
  if (alert.annotations.summary) parts.push(alert.annotations.summary);
  if (alert.annotations.description) parts.push(alert.annotations.description);
  if (alert.generatorURL) parts.push(alert.generatorURL);
  return `- ${parts.join(' — ')}`;
}
