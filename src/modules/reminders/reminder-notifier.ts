import type { Tx } from '../../db/client.js';
import type { ReminderKind } from '../../domain/reminders.js';
import { enqueueDirectMail } from '../../notifications/outbox.js';
import type { Log } from '../context.js';
import type { ReminderContent } from './reminder-content.js';
import type { ReminderUser } from './reminders.repo.js';

/** A claimed reminder, with who gets it and what it says. */
export interface Reminder {
  id: string;
  incidentId: string;
  kind: ReminderKind;
  dueAt: Date;
  sentAt: Date;
  recipients: ReminderUser[];
  content: ReminderContent;
}

/**
 * Sends one reminder inside the transaction that claimed it: if it throws, the claim rolls back
 * and the next tick tries again; if it commits, no process sends it again.
 */
export type ReminderNotifier = (tx: Tx, reminder: Reminder) => Promise<void>;

/**
 * Mails each recipient through the outbox in the claiming transaction: the reminder goes out
 * exactly once with the claim. The log keeps a line too, for whoever watches the server.
 * Webhook subscribers get none: they receive Statuspage's public events, and a reminder is
 * staff business (severity, an admin link) that a Statuspage handler would not understand.
 */
export function outboxReminderNotifier(log: Log): ReminderNotifier {
  return async (tx, reminder) => {
    const refs = { incidentId: reminder.incidentId };
    for (const to of reminder.recipients) {
      await enqueueDirectMail(
        tx,
        { ...refs, to: to.email, subject: reminder.content.subject, text: reminder.content.text, dedupeKey: `reminder:${reminder.id}:${to.id}` },
        reminder.sentAt,
      );
    }
    log.warn(
      { incidentId: reminder.incidentId, kind: reminder.kind, dueAt: reminder.dueAt, to: reminder.recipients.map((r) => r.email) },
      reminder.content.subject,
    );
  };
}
