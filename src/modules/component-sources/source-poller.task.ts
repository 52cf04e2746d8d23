import { createPeriodicTask } from '../../jobs/periodic-task.js';
import type { SystemContext } from '../context.js';
import { pollDueSources, type PollOptions, type PollOutcome } from './source-poller.js';

export interface SourcePoller {
  /** Begins polling on the interval (none with an interval of 0): once the app is ready. */
  start(): void;
  /** Polls what is due now; resolves with what each poll did. Ticks never overlap within a process. */
  tick(): Promise<PollOutcome[]>;
  /** A source was linked: poll soon rather than at the next tick. */
  wake(): void;
  stop(): Promise<void>;
}

/** Servers started together spread their ticks instead of all claiming at the same instant. */
const TICK_JITTER = 0.1;

/** The poller of third-party status pages: one tick per `intervalMs` (0: only when told). */
export function createSourcePoller(ctx: SystemContext, options: PollOptions & { intervalMs: number; onChange: () => void }): SourcePoller {
  const task = createPeriodicTask({
    name: 'third-party status poller',
    intervalMs: options.intervalMs,
    jitterRatio: TICK_JITTER,
    run: async () => {
      const outcomes = await pollDueSources(ctx, options);
      if (outcomes.some((o) => o.result === 'changed')) options.onChange();
      return outcomes;
    },
    onError: (err) => ctx.log.error({ err }, 'third-party status poll failed'),
  });
  return {
    // With no interval nothing runs on its own, not even on a wake: only `tick()` (tests, scripts).
    start: () => {
      if (options.intervalMs > 0) task.start();
    },
    tick: () => task.runNow(),
    wake: () => task.wake(),
    stop: () => task.stop(),
  };
}
