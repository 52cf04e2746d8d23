import type { Severity } from './vocabulary.js';

/** One line of a postmortem's timeline. `internal` lines stay off every public path. */
export interface TimelineEntry {
  at: string;
  text: string;
  /** Where a prefilled line came from; `author` for lines written by hand. */
  source: 'update' | 'note' | 'author';
  internal: boolean;
}

export interface ActionItem {
  title: string;
  owner: string | null;
  /** A calendar date, `YYYY-MM-DD`. */
  dueDate: string | null;
  done: boolean;
}

/**
 * An action item past its due date and not done. `today` is the calendar date
 * (`YYYY-MM-DD`) where the team reads the dates: an item due today is still on time all day.
 */
export function actionItemOverdue(item: Pick<ActionItem, 'dueDate' | 'done'>, today: string): boolean {
  // ISO calendar dates of the same length order as strings.
  return !item.done && item.dueDate !== null && item.dueDate < today;
}

/** Severities a resolution must promise a postmortem for. */
export const POSTMORTEM_SEVERITIES: readonly Severity[] = ['P0', 'P1', 'P2'];

/**
 * The starting point of a postmortem's timeline: the public updates and the scribe's notes,
 * oldest first. Notes come marked `internal`: publishing one is a deliberate edit, never a
 * side effect of accepting the prefill.
 */
export function prefillTimeline(
  updates: readonly { publishedAt: Date | null; status: string; body: string }[],
  notes: readonly { at: Date; text: string }[],
): TimelineEntry[] {
  const entries = [
    ...updates.flatMap((u) =>
      u.publishedAt ? [{ at: u.publishedAt, text: `${u.status}: ${u.body}`, source: 'update' as const, internal: false }] : [],
    ),
    ...notes.map((n) => ({ at: n.at, text: n.text, source: 'note' as const, internal: true })),
  ];
  // Stable: at equal times an update stays before a note.
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime()).map((e) => ({ ...e, at: e.at.toISOString() }));
}

export interface PostmortemDueInput {
  severity: Severity;
  resolvedAt: Date | null;
  postmortemDueAt: Date | null;
  postmortemPublishedAt: Date | null;
}

/**
 * A resolved P0–P2 incident whose postmortem due time has passed (strictly: on the due time is
 * still on time) without a published postmortem.
 */
export function postmortemOverdue(input: PostmortemDueInput, now: Date): boolean {
  return (
    input.resolvedAt !== null &&
    POSTMORTEM_SEVERITIES.includes(input.severity) &&
    input.postmortemDueAt !== null &&
    input.postmortemPublishedAt === null &&
    now.getTime() > input.postmortemDueAt.getTime()
  );
}
