/**
 * The two limits the render cache puts on rendering: a circuit breaker for a failing database,
 * and slots bounding how many renders run and wait. Pure state on an injected clock.
 */

import type { BreakerState } from '../../core/render-cache-stats.js';

export type { BreakerState };

/**
 * After `failures` consecutive "database unavailable" failures (any keys), no render is tried
 * at all; once `probeAfterMs` has passed, one probe goes, and its outcome closes the breaker or
 * opens it again for another while.
 */
export class Breaker {
  state: BreakerState = 'closed';
  /** Consecutive unavailable failures; any answer from the database resets them. */
  failures = 0;
  private openedAt = 0;

  constructor(
    private readonly options: { failures: number; probeAfterMs: number },
    private readonly elapsed: () => number,
  ) {}

  /** 'go': render; 'probe': render, as the one attempt that tests the database; 'no': do not. */
  permit(): 'go' | 'probe' | 'no' {
    if (this.state === 'closed') return 'go';
    if (this.state === 'half-open') return 'no';
    if (this.elapsed() - this.openedAt < this.options.probeAfterMs) return 'no';
    this.state = 'half-open';
    return 'probe';
  }

  /** A probe that could not start after all: the next reader may probe. */
  unprobe(): void {
    if (this.state === 'half-open') this.state = 'open';
  }

  failed(): void {
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.options.failures) {
      this.state = 'open';
      this.openedAt = this.elapsed();
    }
  }

  /** The database answered. Returns whether the breaker was not closed until now. */
  answered(): boolean {
    const wasOpen = this.state !== 'closed';
    this.state = 'closed';
    this.failures = 0;
    return wasOpen;
  }
}

/** `concurrent` tasks at once and `queued` more waiting for a turn; the caller checks `full()`. */
export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: { concurrent: number; queued: number }) {}

  full(): boolean {
    return this.active >= this.options.concurrent && this.waiting.length >= this.options.queued;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    const start = () => {
      this.active += 1;
      const result = task();
      const release = () => {
        this.active -= 1;
        this.waiting.shift()?.();
      };
      result.then(release, release);
      return result;
    };
    if (this.active < this.options.concurrent) return start();
    return new Promise<T>((resolve, reject) => this.waiting.push(() => start().then(resolve, reject)));
  }
}
