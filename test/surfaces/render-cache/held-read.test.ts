import { describe, expect, it } from 'vitest';
import { HeldRead } from '../../../src/surfaces/render-cache/held-read.js';

describe('a read held under its key', () => {
  const counting = () => {
    let reads = 0;
    return {
      read: () => Promise.resolve((reads += 1)),
      reads: () => reads,
    };
  };

  it('is handed out while its key holds, and read afresh under another (a write since, or the clock moved on)', async () => {
    const held = new HeldRead<number>();
    const source = counting();
    expect(await held.get('generation 0|second 5', source.read).value).toBe(1);
    expect(held.get('generation 0|second 5', source.read).kept).toBe(true);
    expect(await held.get('generation 0|second 5', source.read).value).toBe(1);
    // A write moved the generation on.
    expect(await held.get('generation 1|second 5', source.read).value).toBe(2);
    // The window is over, or the clock went back: another key either way.
    expect(await held.get('generation 1|second 6', source.read).value).toBe(3);
    expect(await held.get('generation 1|second 4', source.read).value).toBe(4);
    expect(source.reads()).toBe(4);
  });

  it('tells the counts it is given of each get, read or kept, shared between reads', async () => {
    const counts = { read: 0, kept: 0 };
    const [a, b] = [new HeldRead<number>(counts), new HeldRead<number>(counts)];
    const source = counting();
    await a.get('1', source.read).value;
    await a.get('1', source.read).value;
    await b.get('1', source.read).value;
    await a.get('2', source.read).value;
    expect(counts).toEqual({ read: 3, kept: 1 });
  });

  it('shares a read in flight, and does not hold one that failed', async () => {
    const held = new HeldRead<number>();
    let reads = 0;
    let fail!: (error: Error) => void;
    const failing = () => {
      reads += 1;
      return new Promise<number>((_, reject) => (fail = reject));
    };
    const first = held.get('k', failing);
    const second = held.get('k', failing);
    expect(reads).toBe(1);
    expect(second.kept).toBe(true);
    fail(new Error('database down'));
    await expect(first.value).rejects.toThrow('database down');
    await expect(second.value).rejects.toThrow('database down');
    const again = held.get('k', () => Promise.resolve(7));
    expect(again.kept).toBe(false);
    expect(await again.value).toBe(7);
  });
});
