import type { FastifyBaseLogger } from 'fastify';
import type { Db, Tx } from '../../db/client.js';
import { dueReminders, reminderRecipients, type DueReminder, type ReminderKind } from '../../domain/reminders.js';
import type { ResponseTargets } from '../../domain/response-clocks.js';
import { createPeriodicTask, type PeriodicTask } from '../../jobs/periodic-task.js';
import { buildReminderContent, type ReminderContent } from './reminder-content.js';
import { enqueueDirectMail, enqueueWebhookEvent } from '../../notifications/outbox.js';
import * as repo from './reminders.repo.js';

/** A claimed reminder, with who gets it and what it says. */
export interface Reminder {
  id: string;
  incidentId: string;
  kind: ReminderKind;
  dueAt: Date;
  sentAt: Date;
  recipients: repo.ReminderUser[];
  content: ReminderContent;
}

/**
 * Sends one reminder inside the transaction that claimed it: if it throws, the claim rolls back
 * and the next tick tries again; if it commits, no process sends it again.
 */
export type ReminderNotifier = (tx: Tx, reminder: Reminder) => Promise<void>;

/**
 * Mails each recipient and, for a public incident, posts the event to the webhook subscribers
 * (all registered by the owner), through the outbox in the claiming transaction: the reminder
 * goes out exactly once with the claim. The log keeps a line too, for whoever watches the server.
 */
export function outboxReminderNotifier(log: FastifyBaseLogger): ReminderNotifier {
  return async (tx, reminder) => {
    const refs = { incidentId: reminder.incidentId };
    for (const to of reminder.recipients) {
      await enqueueDirectMail(
        tx,
        { ...refs, to: to.email, subject: reminder.content.subject, text: reminder.content.text, dedupeKey: `reminder:${reminder.id}:${to.id}` },
        reminder.sentAt,
      );
    }
    // Webhook subscribers hear only of what is public: a draft (an alert's, say) stays with staff.
    if (!reminder.content.webhook.incident.draft) {
      await enqueueWebhookEvent(
        tx,
        { ...refs, kind: `reminder.${reminder.kind}`, webhook: reminder.content.webhook, dedupeKey: `reminder:${reminder.id}:webhooks` },
        reminder.sentAt,
      );
    }
    log.warn(
      { incidentId: reminder.incidentId, kind: reminder.kind, dueAt: reminder.dueAt, to: reminder.recipients.map((r) => r.email) },
      reminder.content.subject,
    );
  };
}

export interface SchedulerOptions {
  db: Db;
  now: () => Date;
  targets: ResponseTargets;
  leadSeconds: number;
  /** 0: no timer (a test calls `tick()` itself). */
  intervalSeconds: number;
  publicUrl: string;
  notifier: ReminderNotifier;
  log: FastifyBaseLogger;
  /** After a pass that sent something (committed): the delivery worker can send it now. */
  onSent?: () => void;
}

type Candidate = NonNullable<Awaited<ReturnType<typeof repo.findWithPublication>>>;

const clockInput = ({ incident, firstPublishedAt, lastPublishedAt }: Candidate) => ({
  severity: incident.severity,
  detectedAt: incident.detectedAt,
  acknowledgedAt: incident.acknowledgedAt,
  resolvedAt: incident.resolvedAt,
  publicUpdateTimes: [firstPublishedAt, lastPublishedAt].filter((d): d is Date => d !== null),
});

/**
 * Servers started together spread their passes. Jitter only ever shortens the wait: passes still
 * start no more than `intervalSeconds` apart (unless one lasts longer), which the reminder lead
 * is checked against.
 */
const TICK_JITTER = 0.1;

const sameReminder = (a: DueReminder, b: DueReminder) => a.kind === b.kind && a.dueAt.getTime() === b.dueAt.getTime();

/** Checks the response clocks of every unresolved incident on a timer and sends what is due. */
export class ReminderScheduler {
  private readonly task: PeriodicTask<Reminder[]>;

  constructor(private readonly options: SchedulerOptions) {
    this.task = createPeriodicTask({
      name: 'reminder scheduler',
      intervalMs: options.intervalSeconds * 1000,
      jitterRatio: TICK_JITTER,
      run: async () => {
        const sent = await this.pass();
        if (sent.length > 0) this.options.onSent?.();
        return sent;
      },
      onError: (err) => options.log.error({ err }, 'reminder tick failed'),
    });
  }

  /** Whether the timer runs (it does from `ready` until `close` when an interval is set). */
  get started(): boolean {
    return this.task.started;
  }

  start(): void {
    // `started` means a timer runs; without an interval `tick()` is the only way in.
    if (this.options.intervalSeconds > 0) this.task.start();
  }

  async stop(): Promise<void> {
    await this.task.stop();
  }

  /** One pass at the current time; overlapping calls share the pass in progress. */
  tick(): Promise<Reminder[]> {
    return this.task.runNow();
  }

  private async pass(): Promise<Reminder[]> {
    const { db, targets, leadSeconds } = this.options;
    const now = this.options.now();
    const sent: Reminder[] = [];
    for (const candidate of await repo.listUnresolvedWithPublication(db)) {
      for (const due of dueReminders(clockInput(candidate), now, targets, leadSeconds)) {
        // One reminder failing (a mail relay down) must not hold back the others: its claim
        // rolled back, so the next pass tries it again.
        try {
          const reminder = await this.claimAndSend(candidate.incident.id, due, now);
          if (reminder) sent.push(reminder);
        } catch (err) {
          this.options.log.error({ err, incidentId: candidate.incident.id, kind: due.kind }, 'reminder not sent; will retry');
        }
      }
    }
    return sent;
  }

  private claimAndSend(incidentId: string, due: DueReminder, now: Date): Promise<Reminder | null> {
    const { db, targets, leadSeconds } = this.options;
    return db.transaction(async (tx) => {
      // Read again: an update or an acknowledgement since the scan makes the reminder moot.
      const current = await repo.findWithPublication(tx, incidentId);
      if (!current || !dueReminders(clockInput(current), now, targets, leadSeconds).some((d) => sameReminder(d, due))) {
        return null;
      }
      const { incident } = current;
      const people = await repo.findUsers(tx, [incident.commanderId, incident.commsLeadId].filter((id): id is string => id !== null));
      const recipients = reminderRecipients(due.kind, {
        commander: (incident.commanderId && people.get(incident.commanderId)) || null,
        commsLead: (incident.commsLeadId && people.get(incident.commsLeadId)) || null,
        owners: await repo.listOwners(tx),
      });
      const row = await repo.claimReminder(tx, {
        incidentId,
        kind: due.kind,
        dueAt: due.dueAt,
        sentAt: now,
        recipients: recipients.map((r) => r.email),
      });
      if (!row) return null;
      const content = buildReminderContent(
        { incidentId, title: incident.title, severity: incident.severity, draft: incident.draft, kind: due.kind, dueAt: due.dueAt },
        now,
        this.options.publicUrl,
      );
      const reminder: Reminder = { id: row.id, incidentId, kind: due.kind, dueAt: due.dueAt, sentAt: now, recipients, content };
      await this.options.notifier(tx, reminder);
      return reminder;
    });
  }
}
