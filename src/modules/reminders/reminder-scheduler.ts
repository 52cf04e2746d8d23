import { dueReminders, reminderRecipients, type DueReminder } from '../../domain/reminders.js';
import { createPeriodicTask, type PeriodicTask } from '../../jobs/periodic-task.js';
import type { SystemContext } from '../context.js';
import { buildReminderContent } from './reminder-content.js';
import type { Reminder, ReminderNotifier } from './reminder-notifier.js';
import * as repo from './reminders.repo.js';

export interface SchedulerOptions {
  leadSeconds: number;
  /** 0: no timer (a test calls `tick()` itself). */
  intervalSeconds: number;
  notifier: ReminderNotifier;
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

/**
 * Checks the response clocks of every unresolved incident on a timer and sends what is due. The
 * context gives the database, the clock, the response targets, the admin links' base and the log.
 */
export class ReminderScheduler {
  private readonly task: PeriodicTask<Reminder[]>;

  constructor(
    private readonly ctx: SystemContext,
    private readonly options: SchedulerOptions,
  ) {
    this.task = createPeriodicTask({
      name: 'reminder scheduler',
      intervalMs: options.intervalSeconds * 1000,
      jitterRatio: TICK_JITTER,
      run: async () => {
        const sent = await this.pass();
        if (sent.length > 0) this.options.onSent?.();
        return sent;
      },
      onError: (err) => ctx.log.error({ err }, 'reminder tick failed'),
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
    const { db, targets } = this.ctx;
    const now = this.ctx.clock();
    const sent: Reminder[] = [];
    for (const candidate of await repo.listUnresolvedWithPublication(db)) {
      for (const due of dueReminders(clockInput(candidate), now, targets, this.options.leadSeconds)) {
        // One reminder failing (a mail relay down) must not hold back the others: its claim
        // rolled back, so the next pass tries it again.
        try {
          const reminder = await this.claimAndSend(candidate.incident.id, due, now);
          if (reminder) sent.push(reminder);
        } catch (err) {
          this.ctx.log.error({ err, incidentId: candidate.incident.id, kind: due.kind }, 'reminder not sent; will retry');
        }
      }
    }
    return sent;
  }

  private claimAndSend(incidentId: string, due: DueReminder, now: Date): Promise<Reminder | null> {
    const { db, targets, site } = this.ctx;
    const { leadSeconds } = this.options;
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
        site.publicUrl,
      );
      const reminder: Reminder = { id: row.id, incidentId, kind: due.kind, dueAt: due.dueAt, sentAt: now, recipients, content };
      await this.options.notifier(tx, reminder);
      return reminder;
    });
  }
}
