/**
 * Response clocks as words a responder reads at a glance: "first update due in 3:12", "next
 * update due in 11 min", "acknowledge overdue by 2 min". public/console.js keeps the same
 * wording as it counts down each second (it is served as is, with no build step to share code).
 */

/** Under ten minutes, to the second (m:ss); then whole minutes; past an hour, hours and minutes. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  if (seconds < 600) return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** How late, coarser than a countdown: "45 s", "2 min", "1 h 5 min". */
export function formatOverdue(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  return seconds < 600 ? `${Math.floor(seconds / 60)} min` : formatCountdown(ms);
}

export interface ClockPhrase {
  /** "first update", "next update", "acknowledge". */
  label: string;
  dueAt: Date;
  text: string;
  breached: boolean;
}

/** One clock at `now`: due in …, or overdue by … once past (exactly on time is not overdue). */
export function clockPhrase(label: string, dueAt: Date, now: Date): ClockPhrase {
  const left = dueAt.getTime() - now.getTime();
  const breached = left < 0;
  return { label, dueAt, breached, text: breached ? `${label} overdue by ${formatOverdue(left)}` : `${label} due in ${formatCountdown(left)}` };
}
