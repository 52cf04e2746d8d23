import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPeriodicTask, systemTimers, type PeriodicTaskOptions, type Timers } from '../../src/jobs/periodic-task.js';

/** A promise the test settles by hand: a run that lasts exactly as long as the test wants. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Counts runs and the most that ever ran at once; each run lasts `durationMs` of fake time. */
function recorder(durationMs = 0) {
  const stats = { runs: 0, active: 0, maxActive: 0, startedAt: [] as number[] };
  const run = async () => {
    stats.runs += 1;
    stats.startedAt.push(Date.now());
    stats.active += 1;
    stats.maxActive = Math.max(stats.maxActive, stats.active);
    try {
      if (durationMs > 0) await new Promise((r) => setTimeout(r, durationMs));
    } finally {
      stats.active -= 1;
    }
  };
  return { stats, run };
}

/** Stops `t`, letting fake time run so the run in flight can end. */
async function stopOnFakeTime(t: { stop(): Promise<void> }) {
  const stopping = t.stop();
  await vi.runAllTimersAsync();
  await stopping;
}

const task = <T>(options: Partial<PeriodicTaskOptions<T>> & Pick<PeriodicTaskOptions<T>, 'run'>) =>
  createPeriodicTask<T>({ name: 'test task', intervalMs: 1000, onError: () => {}, ...options });

describe('periodic task', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once per interval from start, and not before start', async () => {
    const { stats, run } = recorder();
    const t = task({ run });
    await vi.advanceTimersByTimeAsync(5000);
    expect(stats.runs).toBe(0);
    t.start();
    t.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(stats.runs).toBe(0);
    await vi.advanceTimersByTimeAsync(2001);
    expect(stats.startedAt).toEqual([6000, 7000, 8000]);
    await t.stop();
  });

  it('counts the period from the start of each run, so a run does not push the next one back', async () => {
    const { stats, run } = recorder(300);
    const t = task({ run });
    t.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(stats.startedAt).toEqual([1000, 2000, 3000]);
    await stopOnFakeTime(t);
  });

  it('never runs twice at once: a run longer than the interval is followed at once by the next', async () => {
    const { stats, run } = recorder(1500);
    const t = task({ run });
    t.start();
    await vi.advanceTimersByTimeAsync(5600);
    expect(stats.maxActive).toBe(1);
    // "At once" is a timeout of 0, which Node makes 1 ms.
    expect(stats.startedAt).toEqual([1000, 2501, 4002, 5503]);
    await stopOnFakeTime(t);
  });

  it('runs at once on a wake while idle, and wakes in one turn make one run', async () => {
    const { stats, run } = recorder();
    const t = task({ run, intervalMs: 60_000 });
    t.start();
    t.wake();
    t.wake();
    t.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(stats.runs).toBe(1);
    // The wake started a period of its own.
    await vi.advanceTimersByTimeAsync(59_999);
    expect(stats.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stats.runs).toBe(2);
    await t.stop();
  });

  it('coalesces wakes during a run into one more run right after it', async () => {
    const gate = deferred();
    let runs = 0;
    const t = task({
      intervalMs: 60_000,
      run: async () => {
        runs += 1;
        if (runs === 1) await gate.promise;
      },
    });
    t.start();
    t.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    t.wake();
    t.wake();
    t.wake();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(1);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    await t.stop();
  });

  it('ignores wakes before start and after stop', async () => {
    const { stats, run } = recorder();
    const t = task({ run });
    t.wake();
    await vi.advanceTimersByTimeAsync(0);
    t.start();
    await t.stop();
    t.wake();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stats.runs).toBe(0);
  });

  it('stops gracefully: waits for the run in flight, then nothing runs, not even a wake made during it', async () => {
    const gate = deferred();
    let runs = 0;
    let finished = false;
    const t = task({
      run: async () => {
        runs += 1;
        await gate.promise;
        finished = true;
      },
    });
    t.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
    t.wake();
    let stopped = false;
    const stopping = t.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(stopped).toBe(false);
    expect(t.started).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(1);
  });

  it('stops at once when idle, and can start again', async () => {
    const { stats, run } = recorder();
    const t = task({ run });
    t.start();
    await t.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(stats.runs).toBe(0);
    t.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(stats.startedAt).toEqual([6000]);
    await t.stop();
  });

  it('a start during a stop waits for the old run instead of overlapping it', async () => {
    const gate = deferred();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const t = task({
      run: async () => {
        runs += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        if (runs === 1) await gate.promise;
        active -= 1;
      },
    });
    t.start();
    t.wake();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = t.stop();
    t.start();
    t.wake();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(1);
    gate.resolve();
    await stopping;
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
    await t.stop();
  });

  it('hands errors of its own runs to onError and keeps going', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const t = task({
      onError: (err) => errors.push(err),
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('first');
        if (runs === 2) throw 'second';
      },
    });
    t.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(3);
    expect(errors.map((e) => (e instanceof Error ? e.message : e))).toEqual(['first', 'second']);
    await t.stop();
  });

  it('treats a run that throws before returning a promise like one that rejects', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const t = task({
      onError: (err) => errors.push(err),
      run: () => {
        runs += 1;
        throw new Error('sync');
      },
    });
    t.start();
    expect(() => t.wake()).not.toThrow();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    expect(errors).toHaveLength(2);
    await expect(t.runNow()).rejects.toThrow('sync');
    await t.stop();
  });

  it('runNow hands its result, or its error, to the caller; calls during a run share that run', async () => {
    const gate = deferred<number>();
    const onError = vi.fn();
    let runs = 0;
    const t = task<number>({
      onError,
      run: async () => {
        runs += 1;
        if (runs === 1) return gate.promise;
        throw new Error(`run ${runs}`);
      },
    });
    const first = t.runNow();
    const second = t.runNow();
    expect(second).toBe(first);
    gate.resolve(7);
    expect(await first).toBe(7);
    // The first run is over by the time its caller resumes: this is a run of its own.
    await expect(t.runNow()).rejects.toThrow('run 2');
    expect(runs).toBe(2);
    expect(onError).not.toHaveBeenCalled();
  });

  it('runNow while started restarts the period from that run', async () => {
    const { stats, run } = recorder();
    const t = task({ run });
    t.start();
    await vi.advanceTimersByTimeAsync(600);
    await t.runNow();
    await vi.advanceTimersByTimeAsync(999);
    expect(stats.startedAt).toEqual([600]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stats.startedAt).toEqual([600, 1600]);
    await t.stop();
  });

  it('with an interval of 0 never runs on a timer: only runNow, or a wake once started', async () => {
    const { stats, run } = recorder();
    const t = task({ run, intervalMs: 0 });
    t.start();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(stats.runs).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await t.runNow();
    expect(stats.runs).toBe(1);
    t.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(stats.runs).toBe(2);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(stats.runs).toBe(2);
    await t.stop();
  });

  it('refuses an interval that is negative or not a number', () => {
    const run = async () => {};
    expect(() => task({ run, intervalMs: -1 })).toThrow(/test task: intervalMs/);
    expect(() => task({ run, intervalMs: Number.NaN })).toThrow(RangeError);
    expect(() => task({ run, jitterRatio: 1.5 })).toThrow(/jitterRatio/);
  });
});

describe('periodic task timing, on injected timers', () => {
  /** Records each wait asked for; the test fires them by hand. */
  function manualTimers() {
    const pending = new Map<number, { callback: () => void; ms: number }>();
    let next = 0;
    const timers: Timers = {
      setTimeout: (callback, ms) => {
        next += 1;
        pending.set(next, { callback, ms });
        return next;
      },
      clearTimeout: (handle) => {
        pending.delete(handle as number);
      },
    };
    const fire = async () => {
      const [first] = pending;
      if (!first) throw new Error('no timer pending');
      pending.delete(first[0]);
      first[1].callback();
      // Lets the run and its bookkeeping finish.
      for (let i = 0; i < 10; i += 1) await Promise.resolve();
    };
    return { timers, pending, fire, delays: () => [...pending.values()].map((p) => p.ms) };
  }

  it('jitter only ever shortens a wait, by up to the ratio', async () => {
    const values = [0, 0.5, 0.999];
    const clock = manualTimers();
    let runs = 0;
    const t = createPeriodicTask({
      name: 'jittered',
      intervalMs: 1000,
      jitterRatio: 0.2,
      random: () => values.shift() ?? 0,
      run: async () => {
        runs += 1;
      },
      onError: () => {},
      timers: clock.timers,
    });
    t.start();
    expect(clock.delays()).toEqual([1000]);
    await clock.fire();
    expect(runs).toBe(1);
    expect(clock.delays()).toEqual([900]);
    await clock.fire();
    expect(clock.delays()).toHaveLength(1);
    expect(clock.delays()[0]).toBeCloseTo(800.2);
    await t.stop();
    expect(clock.pending.size).toBe(0);
  });

  it('the real timers do not hold the process open', () => {
    const handle = systemTimers.setTimeout(() => {}, 60_000) as NodeJS.Timeout;
    try {
      expect(handle.hasRef()).toBe(false);
    } finally {
      systemTimers.clearTimeout(handle);
    }
  });
});
