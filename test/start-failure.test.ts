import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { redactedUrl, startFailure } from '../src/start-failure.js';

const fsError = (code: string, path: string) => Object.assign(new Error(`${code}: failed, open '${path}'`), { code, path, syscall: 'open' });

describe('startFailure', () => {
  const env = { DATA_DIR: '/srv/heliograph' };

  it('keeps the configuration error line', () => {
    expect(startFailure(new ConfigError('JWT_SECRET is required in production'), {})).toBe('Configuration error: JWT_SECRET is required in production');
  });

  it('names DATA_DIR when it is not writable, read-only or full', () => {
    expect(startFailure(fsError('EACCES', '/srv/heliograph/jwt-secret'), env)).toBe(
      'Cannot start: DATA_DIR /srv/heliograph is not writable by this user (EACCES on /srv/heliograph/jwt-secret); give it to the user that runs Heliograph, or set DATA_DIR to a folder it owns',
    );
    expect(startFailure(fsError('EPERM', '/srv/heliograph/pglite'), env)).toMatch(/^Cannot start: DATA_DIR \/srv\/heliograph is not writable/);
    expect(startFailure(fsError('EROFS', '/srv/heliograph/heliograph.pid.1'), env)).toMatch(
      /^Cannot start: DATA_DIR \/srv\/heliograph is on a read-only file system \(EROFS on /,
    );
    expect(startFailure(fsError('ENOSPC', '/srv/heliograph/jwt-secret'), env)).toMatch(/^Cannot start: the disk of DATA_DIR \/srv\/heliograph is full/);
    // An unset DATA_DIR is ./data, named as an absolute path.
    expect(startFailure(fsError('EACCES', 'data/jwt-secret'), {})).toContain(`DATA_DIR ${resolve('data')} `);
  });

  it('reads the embedded database file system errors and a disk-full SQLSTATE', () => {
    // PGlite's WebAssembly file system: WASI errno 51 is ENOSPC, 2 EACCES, 69 EROFS.
    const wasi = (errno: number) => Object.assign(new Error(''), { name: 'ErrnoError', errno });
    expect(startFailure(wasi(51), env)).toMatch(/^Cannot start: the disk of DATA_DIR \/srv\/heliograph is full \(ENOSPC\)/);
    expect(startFailure(wasi(2), env)).toMatch(/not writable by this user \(EACCES\)/);
    expect(startFailure(wasi(69), env)).toMatch(/read-only file system \(EROFS\)/);
    const diskFull = Object.assign(new Error('could not extend file "base/5/1": No space left on device'), { code: '53100' });
    expect(startFailure(new Error('Failed query', { cause: diskFull }), env)).toMatch(/^Cannot start: the disk of DATA_DIR \/srv\/heliograph is full \(53100\)/);
    expect(startFailure(diskFull, { DATABASE_URL: 'postgres://db/x' })).toBe("Cannot start: the database server's disk is full (53100); free space on it and start again");
  });

  it('says the database is unreachable, without the password', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const line = startFailure(refused, { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:5432/status' });
    expect(line).toBe(
      'Cannot start: the database at postgres://app:***@127.0.0.1:5432/status is unreachable (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432); check DATABASE_URL and that PostgreSQL is running',
    );
    expect(line).not.toContain('s3cret');
    const noDatabase = Object.assign(new Error('database "status" does not exist'), { code: '3D000' });
    expect(startFailure(noDatabase, { DATABASE_URL: 'postgres://db/status' })).toMatch(/unreachable \(3D000: database "status" does not exist\)/);
  });

  it('says DATABASE_URL is malformed', () => {
    expect(startFailure(new TypeError('Invalid URL'), { DATABASE_URL: 'postgres://a:b@host:99999/x' })).toBe(
      'Cannot start: DATABASE_URL is not a valid postgres:// URL (postgres://user:password@host:port/database)',
    );
    expect(redactedUrl('postgres://u:p@h/d')).toBe('postgres://u:***@h/d');
  });

  it('leaves anything else to the stack trace', () => {
    expect(startFailure(new Error('something unexpected'), env)).toBeNull();
    expect(startFailure(undefined, env)).toBeNull();
  });
});
