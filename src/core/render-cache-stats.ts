/**
 * What the public render cache reports about itself (counters since the process started). It
 * lives here, below both, because the cache (a surface) fills it and /metrics (a module) reads it.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface RenderCacheStats {
  bytes: number;
  entries: number;
  /** Answers from a current render, without rendering or waiting. */
  hits: number;
  /** Answers that needed a render (or tried to). */
  misses: number;
  /** Answers from a render older than the data, while the database was failing or slow. */
  staleServes: number;
  /** Readers refused with `busyError()`: too many renders already running and waiting. */
  busy: number;
  /** Renders begun (each reads the database). */
  renders: number;
  /** Of the hits, those answered before routing (direct-answers.ts). */
  direct?: number;
  breaker: BreakerState;
}
