import { setImmediate as nextTurn } from 'node:timers/promises';
import { Errors } from '../core/errors.js';

/**
 * The embedded database after a PANIC. PGlite is PostgreSQL compiled to WebAssembly, in this
 * process: when PostgreSQL would PANIC and restart its backends (a WAL file that cannot be
 * written, on a full or read-only disk), PGlite answers that one query with the PANIC and is
 * then dead — the next query never returns. Nothing in this process can bring it back; a
 * restart can (PostgreSQL recovers from its WAL, every committed write is there). So the guard
 * lets no query reach a dead instance: each one fails at once as "database unavailable" (503),
 * and the listeners hear of it once, so the process can say why and exit for its supervisor
 * to restart it.
 */

/** What a PANIC or a WebAssembly abort looks like, anywhere in an error's cause chain. */
export function isFatalDatabaseError(error: unknown, depth = 0): boolean {
  const e = error as { severity?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  if (e.severity === 'PANIC') return true;
  // The WebAssembly module itself stopped (an `abort()` or a trap): no query can run any more.
  if (e.name === 'RuntimeError') return true;
  if (typeof e.message === 'string' && /^Aborted\(/.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error && isFatalDatabaseError(e.cause, depth + 1);
}

/** The calls that reach the database: PGlite's, and a transaction's (they share the gate). */
const GATED = new Set<PropertyKey>(['query', 'exec', 'transaction']);

export interface PgliteGuard<C> {
  /** Use this in place of the client: same calls, refused once the database is dead. */
  client: C;
  /** The error that killed the database, or null while it is fine. */
  failure(): Error | null;
  /** `listener` runs once, when the database dies (at once if it already has). */
  onFailure(listener: (error: Error) => void): void;
}

export function guardPglite<C extends object>(inner: C): PgliteGuard<C> {
  let failure: Error | null = null;
  const listeners: Array<(error: Error) => void> = [];

  const fail = (error: unknown) => {
    if (failure) return;
    failure = error instanceof Error ? error : new Error(String(error));
    for (const listener of listeners.splice(0)) listener(failure);
  };
  /**
   * Runs `call` in a turn of the event loop of its own, unless the database is dead; notes a
   * fatal error on the way out. PGlite answers in this thread, with no I/O to wait for: without
   * the turn, a write's queries (or a render's reads) would run back to back as one step, and
   * hold every reader for all of them (a component's status change, some 20 ms).
   */
  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    if (failure) throw new Errors.databaseUnavailable({ cause: failure });
    await nextTurn();
    if (failure) throw new Errors.databaseUnavailable({ cause: failure });
    try {
      return await call();
    } catch (error) {
      if (isFatalDatabaseError(error)) fail(error);
      throw error;
    }
  };
  /** Queries of a transaction, and of the client, go through the same gate. */
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        // PGlite keeps its state in private fields: its methods must run on it, not on the proxy.
        const value: unknown = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (!GATED.has(property)) return method.bind(object);
        if (property === 'transaction') {
          return (fn: (tx: object) => Promise<unknown>) => guarded(() => method.call(object, (tx: object) => fn(wrap(tx))) as Promise<unknown>);
        }
        return (...args: unknown[]) => guarded(() => method.apply(object, args) as Promise<unknown>);
      },
    });

  return {
    client: wrap(inner),
    failure: () => failure,
    onFailure(listener) {
      if (failure) listener(failure);
      else listeners.push(listener);
    },
  };
}
