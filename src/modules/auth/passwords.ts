import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

// OWASP's scrypt floor: N=2^15, r=8, p=3 (≈ 32 MiB, about half a second of CPU). The parameters
// are stored with each hash, so raising them later does not break existing passwords.
export const PASSWORD_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };

/**
 * The test suite's cost (`HG_TEST_PASSWORD_COST=low`, which the configuration refuses in
 * production): every test file makes an owner and logs in, and at the real cost those hashes
 * were a third of the suite's CPU. A hash says its own parameters, so verifying works the same
 * at either cost.
 */
export const TEST_PASSWORD_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

// One process, one cost: the app sets it from its configuration when it is built.
let cost = PASSWORD_COST;
let decoy: { cost: ScryptCost; hash: Promise<string> } | null = null;

export function usePasswordCost(chosen: ScryptCost): void {
  cost = chosen;
}

const KEY_LENGTH = 64;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = cost;
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: 128 * 1024 * 1024 });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 128 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash to compare against when the email is unknown, so both cases take the same time: made once per cost. */
export function decoyHash(): Promise<string> {
  if (decoy?.cost !== cost) decoy = { cost, hash: hashPassword(randomBytes(16).toString('hex')) };
  return decoy.hash;
}

/** A password for a first owner nobody named: 24 characters from a 64-symbol alphabet. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
