import {
  alertChanges,
  alertTitle,
  componentStatusFor,
  describeAlert,
  detectedAt,
  severityFor,
  type AlertLike,
  type SeverityMap,
} from '../../domain/alertmanager.js';
import { fillPlaceholders, templateValues } from '../../domain/template-text.js';
import type { Severity } from '../../domain/vocabulary.js';
import { listComponents, type ComponentRow } from '../components/index.js';
import { addNote, createIncident } from '../incidents/index.js';
import { draftOpenedChatMessage } from '../../notifications/chat/staff-messages.js';
import { enqueueStaffChat } from '../../notifications/outbox.js';
import type { ServiceContext } from '../context.js';
import * as repo from './alert-groups.repo.js';
import type { AlertmanagerWebhookInput, IngestResultView } from './alertmanager.schemas.js';

/** How alert labels become an incident's severity: `ALERT_SEVERITY_MAP` and `ALERT_DEFAULT_SEVERITY`. */
export interface AlertSeverities {
  severityMap: SeverityMap;
  defaultSeverity: Severity;
}

/**
 * The draft's one held-back update: what the page says if the comms lead publishes without
 * words of their own. Alert details never go in it; they go in the internal note.
 */
const HOLDING_STATEMENT = 'We are investigating a problem affecting {{component}}.';

const NOTE_MAX = 20_000;
const clip = (text: string) => (text.length > NOTE_MAX ? `${text.slice(0, NOTE_MAX - 1)}…` : text);

/** Components named by the alerts' `component` label, by id or by name (case-insensitive). */
function matchComponents(values: Iterable<string>, components: readonly ComponentRow[]) {
  const matched = new Map<string, ComponentRow>();
  const unknown: string[] = [];
  for (const raw of new Set(values)) {
    const value = raw.trim().toLowerCase();
    const row = components.find((c) => c.id === value) ?? components.find((c) => c.name.trim().toLowerCase() === value);
    if (row) matched.set(row.id, row);
    else if (value) unknown.push(raw);
  }
  return { matched: [...matched.values()], unknown };
}

function noteFor(payload: AlertmanagerWebhookInput, heading: string, alerts: readonly AlertLike[], extra: string[] = []) {
  const lines = [`${heading} (Alertmanager receiver "${payload.receiver}")`, ...alerts.map(describeAlert), ...extra];
  if (payload.truncatedAlerts > 0) lines.push(`${payload.truncatedAlerts} more alerts were left out by Alertmanager (max_alerts).`);
  if (payload.externalURL) lines.push(`Alertmanager: ${payload.externalURL}`);
  return clip(lines.join('\n'));
}

/**
 * One Alertmanager post, in one transaction. A firing group with no open incident opens a
 * draft (not public; its component statuses wait for publication) detected at the earliest
 * `startsAt`. Later posts for the same `groupKey` join that incident while it is unresolved,
 * draft or published: what changed goes into an internal note, never onto the page. A
 * resolved group is noted; resolving the incident stays a person's call. After the incident
 * is resolved, the group's next firing opens a new draft.
 */
export async function ingestAlertmanager(
  ctx: ServiceContext,
  payload: AlertmanagerWebhookInput,
  severities: AlertSeverities,
): Promise<IngestResultView> {
  const now = ctx.clock();
  const alerts = payload.alerts as AlertLike[];
  return ctx.db.transaction(async (tx) => {
    // The incident verbs write in this transaction, at this post's instant.
    const verbs = { ...ctx, db: tx, clock: () => now };
    await repo.lockGroupKey(tx, payload.groupKey);
    const open = await repo.findOpenGroup(tx, payload.groupKey);
    const firing = alerts.filter((a) => a.status === 'firing');

    if (!open) {
      if (payload.status === 'resolved' || firing.length === 0) return { action: 'ignored', incidentId: null, draft: null };
      const severity = severityFor(
        firing.map((a) => a.labels.severity ?? payload.commonLabels.severity),
        severities.severityMap,
        severities.defaultSeverity,
      );
      const labels = firing.map((a) => a.labels.component ?? payload.commonLabels.component).filter((v): v is string => !!v);
      const { matched, unknown } = matchComponents(labels, await listComponents(tx));
      const status = componentStatusFor(severity);
      const values = templateValues({ componentNames: matched.map((c) => c.name), severity });
      const incident = await createIncident(verbs, {
        title: alertTitle(firing, { labels: payload.commonLabels, annotations: payload.commonAnnotations }),
        severity,
        status: 'investigating',
        message: fillPlaceholders(HOLDING_STATEMENT, values),
        componentStatuses: Object.fromEntries(matched.map((c) => [c.id, status])),
        detectedAt: detectedAt(firing, now).toISOString(),
        draft: true,
      });
      await repo.insertGroup(tx, {
        groupKey: payload.groupKey,
        incidentId: incident.id,
        receiver: payload.receiver,
        firing: alertChanges([], alerts).firing,
        createdAt: now,
        lastReceivedAt: now,
      });
      const extra = unknown.length > 0 ? [`No component matches the component label ${unknown.map((u) => `"${u}"`).join(', ')}.`] : [];
      await addNote(verbs, incident.id, noteFor(payload, `Draft opened: ${firing.length} alert(s) firing`, firing, extra));
      // Staff hear of it at once, with the page that publishes it; the page says nothing yet.
      const message = draftOpenedChatMessage(
        { incidentId: incident.id, title: incident.title, severity, detectedAt: new Date(incident.detectedAt), components: matched.map((c) => c.name), alerts: firing.length },
        ctx.site,
      );
      await enqueueStaffChat(tx, { event: 'draft_opened', incidentId: incident.id, message, dedupeKey: `draft-opened:${incident.id}` }, now);
      return { action: 'opened', incidentId: incident.id, draft: true };
    }

    const { group, draft } = open;
    const changes = alertChanges(group.firing, alerts);
    await repo.updateGroup(tx, group.id, { firing: changes.firing, lastReceivedAt: now });
    if (payload.status === 'resolved') {
      await addNote(verbs, group.incidentId, noteFor(payload, 'All alerts of the group resolved', alerts));
      return { action: 'noted', incidentId: group.incidentId, draft };
    }
    // Alertmanager repeats an unchanged group every repeat_interval: that adds nothing to the timeline.
    if (changes.newlyFiring.length > 0) {
      await addNote(verbs, group.incidentId, noteFor(payload, `${changes.newlyFiring.length} more alert(s) firing`, changes.newlyFiring));
    }
    if (changes.resolved.length > 0) {
      await addNote(verbs, group.incidentId, noteFor(payload, `${changes.resolved.length} alert(s) resolved`, changes.resolved));
    }
    return { action: 'joined', incidentId: group.incidentId, draft };
  });
}
