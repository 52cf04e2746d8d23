import { resolve } from 'node:path';
import { ConfigError } from './config.js';

/**
 * The one line a process prints when it cannot start for a reason its operator can fix: a
 * data folder it may not write, a full or read-only disk, a database it cannot reach, a
 * malformed DATABASE_URL. A stack trace would bury the reason; these name it and what to
 * check. Anything else returns null: an unexpected failure keeps its stack.
 */

/** The environment an entry file read (only DATA_DIR and DATABASE_URL are looked at). */
export type StartEnv = Record<string, string | undefined>;

interface ErrorLike {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
  path?: unknown;
  cause?: unknown;
}

/**
 * File-system errors as Node names them, and as PGlite's WebAssembly file system numbers
 * them (WASI errno values, in an `ErrnoError` with no name for the code).
 */
const WASI_ERRNO: Record<number, string> = { 2: 'EACCES', 51: 'ENOSPC', 63: 'EPERM', 69: 'EROFS' };

/** Refusals from the database server, or no server at all: the URL's host, port, name or password is wrong. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'CONNECT_TIMEOUT', '57P03', '3D000', '28P01', '28000']);

/** The code of `error` or of the first error in its cause chain that has one we know. */
function knownCode(error: unknown, depth = 0): { code: string; error: ErrorLike } | null {
  const e = error as ErrorLike | undefined;
  if (!e || typeof e !== 'object' || depth > 5) return null;
  if (e.name === 'ErrnoError' && typeof e.errno === 'number' && WASI_ERRNO[e.errno]) return { code: WASI_ERRNO[e.errno]!, error: e };
  if (typeof e.code === 'string' && /^(EACCES|EPERM|EROFS|ENOSPC|53100|ERR_INVALID_URL)$/.test(e.code)) return { code: e.code, error: e };
  if (typeof e.code === 'string' && UNREACHABLE.has(e.code)) return { code: e.code, error: e };
  if (e.name === 'TypeError' && e.message === 'Invalid URL') return { code: 'ERR_INVALID_URL', error: e };
  return knownCode(e.cause, depth + 1);
}

/** DATABASE_URL without its password, fit for a log line. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

export function startFailure(error: unknown, env: StartEnv): string | null {
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`;
  const known = knownCode(error);
  if (!known) return null;
  const { code } = known;
  const databaseUrl = env.DATABASE_URL?.trim();
  const dataDir = resolve(env.DATA_DIR?.trim() ? env.DATA_DIR : './data');
  const where = typeof known.error.path === 'string' ? ` (${code} on ${known.error.path})` : ` (${code})`;

  if (code === 'EACCES' || code === 'EPERM') {
    return `Cannot start: DATA_DIR ${dataDir} is not writable by this user${where}; give it to the user that runs Heliograph, or set DATA_DIR to a folder it owns`;
  }
  if (code === 'EROFS') return `Cannot start: DATA_DIR ${dataDir} is on a read-only file system${where}; mount it read-write, or set DATA_DIR elsewhere`;
  if (code === 'ENOSPC' || code === '53100') {
    return databaseUrl
      ? `Cannot start: the database server's disk is full (${code}); free space on it and start again`
      : `Cannot start: the disk of DATA_DIR ${dataDir} is full${where}; free some space and start again`;
  }
  if (code === 'ERR_INVALID_URL') return 'Cannot start: DATABASE_URL is not a valid postgres:// URL (postgres://user:password@host:port/database)';
  const reason = typeof known.error.message === 'string' ? `${code}: ${known.error.message.split('\n')[0]}` : code;
  return `Cannot start: the database at ${redactedUrl(databaseUrl ?? '')} is unreachable (${reason}); check DATABASE_URL and that PostgreSQL is running`;
}
