import { describe, expect, it } from 'vitest';
import { keptFor } from '../../../src/modules/metrics/kept-for.js';

function counter(results: Array<() => Promise<string>> = []) {
  let calls = 0;
  let now = 0;
  const compute = () => {
    calls += 1;
    return results.shift()?.() ?? Promise.resolve(`value ${calls}`);
  };
  return {
    get: keptFor(5000, () => now, compute),
    calls: () => calls,
    at: (ms: number) => {
      now = ms;
    },
  };
}

describe('keptFor', () => {
  it('computes once for every caller within the time it is kept', async () => {
    const c = counter();
    expect(await c.get()).toBe('value 1');
    c.at(4999);
    expect(await c.get()).toBe('value 1');
    expect(c.calls()).toBe(1);
    c.at(5000);
    expect(await c.get()).toBe('value 2');
    expect(c.calls()).toBe(2);
  });

  it('shares a computation still running with the callers that come meanwhile', async () => {
    let finish!: (value: string) => void;
    const c = counter([() => new Promise((resolve) => (finish = resolve))]);
    const first = c.get();
    const second = c.get();
    finish('shared');
    expect(await Promise.all([first, second])).toEqual(['shared', 'shared']);
    expect(c.calls()).toBe(1);
  });

  it('keeps no failure: the next caller computes again', async () => {
    const c = counter([() => Promise.reject(new Error('database down'))]);
    await expect(c.get()).rejects.toThrow('database down');
    expect(await c.get()).toBe('value 2');
  });

  // A clock set back would otherwise keep the value until it caught up again.
  it('computes again when the clock goes back', async () => {
    const c = counter();
    c.at(10_000);
    await c.get();
    c.at(9_000);
    expect(await c.get()).toBe('value 2');
  });
});
