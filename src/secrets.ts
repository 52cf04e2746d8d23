import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createFileAtomically } from './files.js';
import { join } from 'node:path';

/**
 * A JWT secret kept in the data folder, made on first start: a fresh clone runs with no env
 * file, and tokens survive a restart. Production must set JWT_SECRET instead.
 */
export function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  // If another process made the file first, its secret is the one to use.
  if (createFileAtomically(file, `${secret}\n`, 0o600)) return secret;
  return readFileSync(file, 'utf8').trim();
}
