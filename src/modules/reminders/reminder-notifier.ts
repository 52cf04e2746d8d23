import type { Tx } from '../../db/client.js';
import type { ReminderKind } from '../../domain/reminders.js';
import type { Site } from '../../core/site.js';
import { reminderChatMessage } from '../../notifications/chat/staff-messages.js';
import { enqueueDirectMail, enqueueStaffChat } from '../../notifications/outbox.js';
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
 * Mails each recipient and tells the staff chat channels, through the outbox in the claiming
 * transaction: the reminder goes out exactly once with the claim. An overdue acknowledgement
 * is its own staff event (`ack_overdue`); every other reminder is `reminder`. The log keeps a
 * line too, for whoever watches the server. Webhook subscribers and subscriber chat channels
 * get none: they receive public events, and a reminder is staff business (severity, an admin
 * link) that a Statuspage handler would not understand.
 */
export function outboxReminderNotifier(log: Log, site: Site): ReminderNotifier {
  return async (tx, reminder) => {
    const refs = { incidentId: reminder.incidentId };
    const message = reminderChatMessage(
      {
        incidentId: reminder.incidentId,
        subject: reminder.content.subject,
        // What is due and when; the mail's last line (an API call) is for people reading mail.
        lines: reminder.content.text.split('\n').slice(0, 2),
        overdue: reminder.kind.endsWith('overdue'),
      },
      site,
    );
    const event = reminder.kind === 'acknowledge_overdue' ? 'ack_overdue' : 'reminder';
    await enqueueStaffChat(tx, { ...refs, event, message, dedupeKey: `reminder:${reminder.id}` }, reminder.sentAt);
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
