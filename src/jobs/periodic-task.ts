/** The timer functions a periodic task needs; a test passes fakes so it never waits. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  // A pending run must not keep a process alive that is otherwise done.
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PeriodicTaskOptions<T> {
  /** Names the task in the errors its options raise. */
  name: string;
  /** Time from the start of one run to the start of the next; 0: never on a timer, only `wake()` and `runNow()`. */
  intervalMs: number;
  /**
   * Up to this share of the interval is taken off each wait, at random, so that processes
   * started together drift apart instead of all querying the database at the same instant.
   */
  jitterRatio?: number;
  run: () => Promise<T>;
  /** Failures of runs the task started itself (timer, `wake()`); `runNow()` hands them to its caller. */
  onError: (err: unknown) => void;
  timers?: Timers;
  /** A number in [0, 1), as `Math.random` returns. */
  random?: () => number;
}

export interface PeriodicTask<T> {
  /** Runs every interval until `stop()`; the first run comes one interval after `start()` (or on `wake()`). */
  start(): void;
  /** No run starts after this; resolves once the run in flight, if any, has finished. */
  stop(): Promise<void>;
  /** While started: runs now if idle, else once more as soon as the current run ends (wakes coalesce). */
  wake(): void;
  /** Runs now, started or not; a call during a run shares that run and its outcome. */
  runNow(): Promise<T>;
  readonly started: boolean;
}

/**
 * Runs `run` on a timer, never two at once. The period counts from the start of each run, as
 * `setInterval` would: a task that must look at least every N seconds (reminders before a
 * deadline) keeps that promise however long a run takes, as long as it takes less than N.
 */
export function createPeriodicTask<T = void>(options: PeriodicTaskOptions<T>): PeriodicTask<T> {
  const { name, intervalMs, jitterRatio = 0, run, onError, timers = systemTimers, random = Math.random } = options;
  if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new RangeError(`${name}: intervalMs must be a finite number ≥ 0, not ${intervalMs}`);
  if (!(jitterRatio >= 0 && jitterRatio <= 1)) throw new RangeError(`${name}: jitterRatio must be between 0 and 1, not ${jitterRatio}`);

  let started = false;
  let timer: unknown = null;
  let current: Promise<T> | null = null;
  /** A wake or a period ended during the run in flight: run again right after it. */
  let again = false;

  const cancelTimer = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const arm = (ms: number) => {
    cancelTimer();
    timer = timers.setTimeout(() => {
      timer = null;
      if (!started) return;
      if (current) again = true;
      else execute().catch(onError);
    }, ms);
  };
  // Jitter only shortens a wait: callers size their deadlines on the interval (see above).
  const period = () => intervalMs * (1 - jitterRatio * random());

  const execute = (): Promise<T> => {
    again = false;
    cancelTimer();
    if (started && intervalMs > 0) arm(period());
    // A `run` that throws before its first await fails the run, not the caller of `wake()`.
    const running = new Promise<T>((resolve) => resolve(run()));
    current = running;
    // Registered before anyone else can await `running`: whoever awaits it sees the task idle.
    const settle = () => {
      current = null;
      if (started && again) arm(0);
    };
    running.then(settle, settle);
    return running;
  };

  return {
    start() {
      if (started) return;
      started = true;
      if (intervalMs > 0) arm(period());
    },
    async stop() {
      started = false;
      again = false;
      cancelTimer();
      await current?.then(
        () => undefined,
        () => undefined,
      );
    },
    wake() {
      if (!started) return;
      if (current) again = true;
      // Through a timer: the many wakes of one request's writes make a single run.
      else arm(0);
    },
    runNow() {
      return current ?? execute();
    },
    get started() {
      return started;
    },
  };
}
