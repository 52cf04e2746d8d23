/**
 * One read shared by the renders of several documents made from the same data: after a write,
 * the Statuspage API's nine documents are rendered at once, and each read everything. A read
 * is shared by the renders that start in the same generation (no write since, so they would
 * read the same) while it is in flight or within `windowMs` of its start: renders that follow
 * a write share it, and a render made later for its age (the TTL) reads afresh.
 */
export class SharedRead<T> {
  private held?: { generation: number; startedAt: number; value: Promise<T> };

  constructor(
    private readonly generation: () => number,
    private readonly now: () => number,
    private readonly windowMs: number,
  ) {}

  get(read: () => Promise<T>): Promise<T> {
    const generation = this.generation();
    const now = this.now();
    const held = this.held;
    if (held && held.generation === generation && now >= held.startedAt && now - held.startedAt < this.windowMs) return held.value;
    const next = { generation, startedAt: now, value: read() };
    this.held = next;
    // A failed read is not shared: the next render tries again.
    next.value.catch(() => {
      if (this.held === next) this.held = undefined;
    });
    return next.value;
  }
}
