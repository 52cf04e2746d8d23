import { describe, expect, it } from 'vitest';
import { SharedRead } from '../../../src/surfaces/render-cache/shared-read.js';

describe('a read shared by the renders of one generation', () => {
  const setUp = () => {
    const state = { generation: 0, now: 0, reads: 0 };
    const shared = new SharedRead<number>(() => state.generation, () => state.now, 1000);
    const read = () => {
      state.reads += 1;
      return Promise.resolve(state.reads);
    };
    return { state, shared, read };
  };

  it('is shared while no write came and within its window, then read afresh', async () => {
    const { state, shared, read } = setUp();
    expect(await shared.get(read)).toBe(1);
    state.now = 999;
    expect(await shared.get(read)).toBe(1);
    // Its window is over: a render made for its age reads afresh.
    state.now = 1000;
    expect(await shared.get(read)).toBe(2);
  });

  it('is not shared across a write, nor when the clock went back', async () => {
    const { state, shared, read } = setUp();
    state.now = 5000;
    expect(await shared.get(read)).toBe(1);
    state.generation += 1;
    expect(await shared.get(read)).toBe(2);
    state.now = 4000;
    expect(await shared.get(read)).toBe(3);
  });

  it('shares a read in flight, and not one that failed', async () => {
    const { shared } = setUp();
    let reads = 0;
    let fail!: (error: Error) => void;
    const failing = () => {
      reads += 1;
      return new Promise<number>((_, reject) => (fail = reject));
    };
    const first = shared.get(failing);
    const second = shared.get(failing);
    expect(reads).toBe(1);
    fail(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await expect(second).rejects.toThrow('database down');
    expect(await shared.get(() => Promise.resolve(7))).toBe(7);
  });
});
