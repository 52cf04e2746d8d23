import type { Site } from '../../core/site.js';
import { componentStatusLabel } from '../../domain/status.js';
import { displayTime } from '../../text/time.js';
import { COMPONENT_STATUSES, type ComponentStatus } from '../../domain/vocabulary.js';
import { clip, type ChatMessage, type ChatTone } from './message.js';

/**
 * The chat message of a public event, read from the Statuspage-shaped webhook payload the
 * event already carries: a chat subscriber hears exactly what a webhook subscriber does, in
 * words. Pure; an event it does not know gives null (no chat message).
 */

interface V2Update {
  status?: string;
  body?: string;
}
interface V2Incident {
  name?: string;
  status?: string;
  impact?: string;
  shortlink?: string;
  incident_updates?: V2Update[];
  components?: Array<{ name?: string; status?: string }>;
  scheduled_for?: string | null;
  scheduled_until?: string | null;
  postmortem_body?: string | null;
}
interface Payload {
  page?: { status_description?: string };
  incident?: V2Incident;
  component?: { name?: string };
  component_update?: { old_status?: string; new_status?: string };
}

const words = (value: string) => value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

const statusLabel = (status: string | undefined) =>
  status && (COMPONENT_STATUSES as readonly string[]).includes(status) ? componentStatusLabel(status as ComponentStatus) : words(status ?? 'unknown');

function impactTone(impact: string | undefined): ChatTone {
  if (impact === 'critical' || impact === 'major') return 'danger';
  if (impact === 'minor') return 'warning';
  return 'neutral';
}

function componentTone(status: string | undefined): ChatTone {
  if (status === 'operational') return 'good';
  if (status === 'under_maintenance') return 'maintenance';
  if (status === 'major_outage' || status === 'partial_outage') return 'danger';
  return 'warning';
}

/** A window's end as the page shows times: "Dec 8, 2026, 14:00 UTC", in the page's zone. */
const when = (iso: string | null | undefined, timeZone: string) => (iso ? displayTime(new Date(iso), timeZone).text : '—');

const MAINTENANCE_HEADLINE: Record<string, string> = {
  'maintenance.scheduled': 'Scheduled maintenance',
  'maintenance.started': 'Maintenance in progress',
  'maintenance.completed': 'Maintenance completed',
};

export function publicChatMessage(kind: string, payload: unknown, site: Site): ChatMessage | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Payload;
  const footer = site.pageName;
  const pageField = p.page?.status_description ? [{ label: 'Page status', value: p.page.status_description }] : [];

  if (kind === 'component.update' && p.component && p.component_update) {
    const { old_status: from, new_status: to } = p.component_update;
    return {
      title: `${p.component.name ?? 'A component'}: ${statusLabel(to)}`,
      status: `Was ${statusLabel(from).toLowerCase()}`,
      tone: componentTone(to),
      summary: '',
      fields: pageField,
      links: [{ label: 'Status page', url: `${site.publicUrl}/` }],
      sections: [],
      footer,
    };
  }
  const incident = p.incident;
  if (!incident) return null;
  const name = incident.name ?? 'Incident';
  const link = incident.shortlink ? [{ label: kind.startsWith('maintenance') ? 'View maintenance' : 'View incident', url: incident.shortlink }] : [];
  const affected = (incident.components ?? []).map((c) => `${c.name ?? '?'} (${statusLabel(c.status).toLowerCase()})`);
  const affectedField = affected.length > 0 ? [{ label: 'Affected', value: affected.join(', ') }] : [];
  const latest = incident.incident_updates?.[0];

  if (kind in MAINTENANCE_HEADLINE) {
    return {
      title: name,
      status: MAINTENANCE_HEADLINE[kind]!,
      tone: kind === 'maintenance.completed' ? 'good' : 'maintenance',
      summary: latest?.body ?? '',
      fields: [{ label: 'When', value: `${when(incident.scheduled_for, site.timeZone)} – ${when(incident.scheduled_until, site.timeZone)}` }, ...affectedField],
      links: link,
      sections: [],
      footer,
    };
  }
  if (kind === 'postmortem.published') {
    return {
      title: `Postmortem: ${name}`,
      status: 'Postmortem published',
      tone: 'neutral',
      summary: clip(incident.postmortem_body ?? '', 1500),
      fields: affectedField,
      links: incident.shortlink ? [{ label: 'Read the postmortem', url: incident.shortlink }] : [],
      sections: [],
      footer,
    };
  }
  if (kind.startsWith('incident.')) {
    const resolved = kind === 'incident.resolved';
    const status = words(latest?.status ?? incident.status ?? 'investigating');
    return {
      title: name,
      status: resolved ? 'Resolved' : `${status} · ${incident.impact ?? 'none'} impact`,
      tone: resolved ? 'good' : impactTone(incident.impact),
      summary: latest?.body ?? '',
      fields: [...affectedField, ...pageField],
      links: link,
      sections: [],
      footer,
    };
  }
  return null;
}
