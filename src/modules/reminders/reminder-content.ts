import type { ReminderKind } from '../../domain/reminders.js';
import type { Severity } from '../../domain/vocabulary.js';

export interface ReminderSubject {
  incidentId: string;
  title: string;
  severity: Severity;
  draft: boolean;
  kind: ReminderKind;
  dueAt: Date;
}

export interface ReminderContent {
  subject: string;
  text: string;
  /** The body of a webhook event for the owners' webhook subscribers. */
  webhook: {
    event: 'incident.reminder';
    reminder: { kind: ReminderKind; dueAt: string; sentAt: string };
    incident: { id: string; title: string; severity: Severity; draft: boolean; adminUrl: string };
  };
}

const WHAT: Record<ReminderKind, (draft: boolean) => string> = {
  update_due: (draft) => (draft ? 'First public update due (still a draft)' : 'Public update due'),
  update_overdue: (draft) => (draft ? 'First public update overdue (still a draft)' : 'Public update overdue'),
  acknowledge_due: () => 'Acknowledgement due',
  acknowledge_overdue: () => 'Acknowledgement overdue',
};

function minutesBetween(a: Date, b: Date): number {
  return Math.round(Math.abs(b.getTime() - a.getTime()) / 60_000);
}

/** Subject, text and webhook payload of a reminder: pure, so any transport can send it. */
export function buildReminderContent(reminder: ReminderSubject, sentAt: Date, publicUrl: string): ReminderContent {
  const what = WHAT[reminder.kind](reminder.draft);
  const adminUrl = `${publicUrl}/api/admin/incidents/${reminder.incidentId}`;
  const late = reminder.kind.endsWith('overdue');
  const when = late
    ? `It was due at ${reminder.dueAt.toISOString()} (${minutesBetween(reminder.dueAt, sentAt)} min ago).`
    : `It is due at ${reminder.dueAt.toISOString()} (in ${minutesBetween(sentAt, reminder.dueAt)} min).`;
  const action = reminder.kind.startsWith('acknowledge')
    ? `Acknowledge it: POST ${adminUrl}/acknowledge`
    : reminder.draft
      ? `Publish it: POST ${adminUrl}/publish`
      : `Post an update: POST ${adminUrl}/updates`;
  return {
    subject: `[${reminder.severity}] ${what}: ${reminder.title}`,
    text: [`${what} for the ${reminder.severity} incident "${reminder.title}".`, when, '', action, ''].join('\n'),
    webhook: {
      event: 'incident.reminder',
      reminder: { kind: reminder.kind, dueAt: reminder.dueAt.toISOString(), sentAt: sentAt.toISOString() },
      incident: { id: reminder.incidentId, title: reminder.title, severity: reminder.severity, draft: reminder.draft, adminUrl },
    },
  };
}
