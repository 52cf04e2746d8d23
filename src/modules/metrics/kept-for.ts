/**
 * `compute`'s result, shared for `ttlMs` after it was asked for: callers in that time, and
 * callers while it is still being computed, get the same promise. A failure is not kept, so
 * the next caller tries again. `now` is the app's clock in milliseconds.
 */
export function keptFor<T>(ttlMs: number, now: () => number, compute: () => Promise<T>): () => Promise<T> {
  let kept: { value: Promise<T>; at: number } | null = null;
  return () => {
    const at = now();
    // A clock set back (a test's, or the host's) must not keep a value for ever.
    if (kept && at >= kept.at && at - kept.at < ttlMs) return kept.value;
    const entry = { value: compute(), at };
    kept = entry;
    entry.value.catch(() => {
      if (kept === entry) kept = null;
    });
    return entry.value;
  };
}
