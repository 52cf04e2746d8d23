import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, PASSWORD_COST, TEST_PASSWORD_COST, usePasswordCost, verifyPassword } from '../../../src/modules/auth/passwords.js';
import { loadConfig } from '../../../src/config.js';

const SECRET = 'x'.repeat(32);
const fields = (hash: string) => hash.split('$').slice(0, 4);

describe('password hashing', () => {
  afterEach(() => usePasswordCost(PASSWORD_COST));

  it('hashes at OWASP’s scrypt floor, N=2^15 r=8 p=3, unless told otherwise', async () => {
    usePasswordCost(PASSWORD_COST);
    const hash = await hashPassword('correct horse');
    expect(fields(hash)).toEqual(['scrypt', String(2 ** 15), '8', '3']);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong horse', hash)).toBe(false);
  });

  it('verifies a hash by the parameters stored in it, whatever the cost now', async () => {
    usePasswordCost(TEST_PASSWORD_COST);
    const { N, r, p } = PASSWORD_COST;
    const salt = randomBytes(16);
    const key = scryptSync('correct horse', salt, 64, { N, r, p, maxmem: 128 * 1024 * 1024 });
    const hash = ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong horse', hash)).toBe(false);
    const cheap = await hashPassword('correct horse');
    expect(fields(cheap)).toEqual(['scrypt', String(2 ** 10), '8', '1']);
    expect(await verifyPassword('correct horse', cheap)).toBe(true);
  });

  it('makes the decoy (compared with when an email is unknown) at the cost in use', async () => {
    usePasswordCost(TEST_PASSWORD_COST);
    expect(fields(await decoyHash())[1]).toBe(String(2 ** 10));
    usePasswordCost(PASSWORD_COST);
    expect(fields(await decoyHash())[1]).toBe(String(2 ** 15));
  });

  it('takes the test cost from HG_TEST_PASSWORD_COST=low only, and never in production', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).testPasswordCost).toBe(false);
    expect(loadConfig({ JWT_SECRET: SECRET, HG_TEST_PASSWORD_COST: 'low' }).testPasswordCost).toBe(true);
    expect(() => loadConfig({ JWT_SECRET: SECRET, HG_TEST_PASSWORD_COST: 'none' })).toThrow(/"low" or unset/);
    expect(() => loadConfig({ JWT_SECRET: SECRET, HG_TEST_PASSWORD_COST: 'low', NODE_ENV: 'production' })).toThrow(/production/);
  });
});
