import { responseClocks, type ClockInput, type ResponseTargets } from './response-clocks.js';
import type { Severity } from './vocabulary.js';

/**
 * `update_due`: the next public update (the first one included) is due within the lead time.
 * `update_overdue`: it is past due. `acknowledge_due` / `acknowledge_overdue`: the same for a
 * P0 or P1 nobody has acknowledged.
 */
export const REMINDER_KINDS = ['update_due', 'update_overdue', 'acknowledge_due', 'acknowledge_overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Severities whose acknowledgement is chased by reminders; P2 and P3 targets are hours or a day. */
export const ACKNOWLEDGE_REMINDER_SEVERITIES: readonly Severity[] = ['P0', 'P1'];

/** Warn this long before a due time, by default. */
export const DEFAULT_REMINDER_LEAD_SECONDS = 120;

export interface DueReminder {
  kind: ReminderKind;
  /** The due time the reminder is about: with the kind and the incident, its identity. */
  dueAt: Date;
}

/**
 * The reminders an unresolved incident calls for at `now`: at most one about its next public
 * update and one about its acknowledgement. From `dueAt − lead` up to and including `dueAt` it
 * is the warning; strictly after `dueAt` (the clocks' own rule: exactly on time is on time) it
 * is the overdue one. A process that was down through the warning window sends only the
 * overdue reminder, not both. Drafts count: their first-update clock runs from detection.
 */
export function dueReminders(
  input: ClockInput,
  now: Date,
  targets: ResponseTargets,
  leadSeconds: number = DEFAULT_REMINDER_LEAD_SECONDS,
): DueReminder[] {
  if (input.resolvedAt !== null) return [];
  const clocks = responseClocks(input, now, targets);
  const out: DueReminder[] = [];
  const stage = (dueAt: Date, soon: ReminderKind, overdue: ReminderKind) => {
    const t = now.getTime();
    if (t > dueAt.getTime()) out.push({ kind: overdue, dueAt });
    else if (t >= dueAt.getTime() - leadSeconds * 1000) out.push({ kind: soon, dueAt });
  };
  if (clocks.nextUpdateDueAt) stage(clocks.nextUpdateDueAt, 'update_due', 'update_overdue');
  if (input.acknowledgedAt === null && ACKNOWLEDGE_REMINDER_SEVERITIES.includes(input.severity)) {
    stage(clocks.acknowledgeDueAt, 'acknowledge_due', 'acknowledge_overdue');
  }
  return out;
}

export interface RoleHolders<U> {
  commander: U | null;
  commsLead: U | null;
  owners: readonly U[];
}

/**
 * Who is told. Update reminders go to the comms lead (posting updates is their job), falling
 * back to the commander, then to every owner; acknowledgement reminders to the commander, then
 * the comms lead, then the owners. Nobody is left unwarned because a role is empty.
 */
export function reminderRecipients<U>(kind: ReminderKind, holders: RoleHolders<U>): U[] {
  const order = kind.startsWith('update') ? [holders.commsLead, holders.commander] : [holders.commander, holders.commsLead];
  const first = order.find((u): u is U => u !== null);
  return first !== undefined ? [first] : [...holders.owners];
}
