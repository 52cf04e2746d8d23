/**
 * The only place that reads the system clock (a lint rule keeps it so). Everything else asks a
 * `Clock` handed to it, so tests move time by hand and one request sees one "now".
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Milliseconds since the epoch by the given clock, for timers and cache ages. */
export function epochMs(clock: Clock): number {
  return clock().getTime();
}
