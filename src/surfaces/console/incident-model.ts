import { statusLabel } from '../../domain/incident-lifecycle.js';
import type { IncidentStatus } from '../../domain/vocabulary.js';
import type { IncidentDetailView } from '../../modules/incidents/index.js';
import { MarkdownRejected, plainTextHtml, renderMarkdown } from '../../text/markdown.js';
import { displayTime } from '../../text/time.js';
import { OPEN_STATUSES } from './declare.routes.js';

/** What the incident view shows, built by pure functions from the modules' reads. */

/** The stage an update moves to by default: the next one, but never past monitoring. */
export function nextStage(status: IncidentStatus): (typeof OPEN_STATUSES)[number] {
  const at = OPEN_STATUSES.indexOf(status as (typeof OPEN_STATUSES)[number]);
  return OPEN_STATUSES[Math.min(Math.max(at + 1, 0), OPEN_STATUSES.length - 1)]!;
}

/** The body of an update as the page shows it; one from before the limits shows as plain text. */
function bodyHtml(source: string): string {
  try {
    return renderMarkdown(source);
  } catch (error) {
    if (error instanceof MarkdownRejected) return plainTextHtml(source);
    throw error;
  }
}

/** The public timeline and the internal notes, oldest first, notes marked as such. */
export function timeline(incident: IncidentDetailView, timeZone: string) {
  const updates = incident.updates.map((u) => ({
    kind: u.kind === 'resolution' ? 'resolution' : 'update',
    at: u.publishedAt ?? u.createdAt,
    time: displayTime(new Date(u.publishedAt ?? u.createdAt), timeZone),
    status: statusLabel(u.status),
    pending: u.publishedAt === null,
    html: bodyHtml(u.body),
    summary: u.summary,
  }));
  const notes = incident.notes.map((n) => ({ kind: 'note', at: n.at, time: displayTime(new Date(n.at), timeZone), text: n.text }));
  return [...updates, ...notes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The incident's roles in the order the view shows them, each with the label of its picker. */
export const ROLES = [
  { key: 'commander', label: 'Incident commander' },
  { key: 'techLead', label: 'Technical lead' },
  { key: 'commsLead', label: 'Communications lead' },
  { key: 'scribe', label: 'Scribe' },
] as const;

export type RoleKey = (typeof ROLES)[number]['key'];

/**
 * The role pickers: who holds each role, and every user to choose from. A role held by a user who
 * has since been deleted shows as nobody (the API keeps the id; nobody can be picked back).
 */
export function rolePickers(chosen: Record<RoleKey, string | null>, users: readonly { id: string; name: string }[]) {
  const known = new Set(users.map((u) => u.id));
  return ROLES.map((r) => ({ ...r, chosen: chosen[r.key] && known.has(chosen[r.key]!) ? chosen[r.key]! : '' }));
}

/**
 * The templates the composer offers: those written for the stage the update moves to first, the
 * others after, each list in the templates' own order.
 */
export function stageTemplates<T extends { status: string }>(templates: readonly T[], stage: string): { forStage: T[]; others: T[] } {
  return { forStage: templates.filter((t) => t.status === stage), others: templates.filter((t) => t.status !== stage) };
}

export interface ComposerValues {
  /** The template last used ("Use template"), or ''. */
  template: string;
  status: string;
  message: string;
  components: Record<string, string>;
  notify: boolean;
}

/**
 * The composer filled from a template, without JavaScript as console.js does with it: its message,
 * its status when the incident can still move there, and its component statuses over the ones
 * chosen (the others carried over).
 */
export function composerWithTemplate(
  values: ComposerValues,
  template: { id: string; status: string; message: string; componentStatuses: Record<string, string> },
  incidentStatus: string,
): ComposerValues {
  const reachable = OPEN_STATUSES.indexOf(template.status as (typeof OPEN_STATUSES)[number]) >= OPEN_STATUSES.indexOf(incidentStatus as (typeof OPEN_STATUSES)[number]);
  return {
    ...values,
    template: template.id,
    status: reachable ? template.status : values.status,
    message: template.message,
    components: { ...values.components, ...template.componentStatuses },
  };
}

