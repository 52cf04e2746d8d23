/**
 * One read of the database, held for the renders that may use it: while the key it was read
 * under still holds, every render gets the same promise (in flight or settled) instead of
 * reading again. A read that fails is not held; the next render tries again.
 *
 * What the key names decides what is shared: the status page and the Statuspage API key their
 * parts by the numbers in `public_versions` (status-page-rows.ts, statuspage-v2/data.ts); the
 * Statuspage API its whole read by the render cache's generation and a second of the clock
 * too, so that the documents rendered after one write share a read and a render made later
 * for its age reads afresh.
 */
/** How many gets read afresh, and how many took a held read. */
export interface HeldReadCounts {
  read: number;
  kept: number;
}

export class HeldRead<T> {
  private held?: { key: string; value: Promise<T> };

  /** `counts`, when given, is told of every get: read afresh or kept (the tests read it). */
  constructor(private readonly counts?: HeldReadCounts) {}

  /** The read held under `key`, or a new one by `read`; `kept` says which. */
  get(key: string, read: () => Promise<T>): { value: Promise<T>; kept: boolean } {
    if (this.held?.key === key) {
      if (this.counts) this.counts.kept += 1;
      return { value: this.held.value, kept: true };
    }
    if (this.counts) this.counts.read += 1;
    const held = { key, value: read() };
    this.held = held;
    held.value.catch(() => {
      if (this.held === held) this.held = undefined;
    });
    return { value: held.value, kept: false };
  }
}
