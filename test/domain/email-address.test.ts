import { describe, expect, it } from 'vitest';
import { checkEmailAddress } from '../../src/domain/email-address.js';

describe('checkEmailAddress', () => {
  it.each([
    ['ana@example.org', 'ana@example.org'],
    ['Ana.Lopez+status@Example.ORG', 'Ana.Lopez+status@example.org'],
    ["o'brien@mail.example.co.uk", "o'brien@mail.example.co.uk"],
    ['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
    ['a_b-c@sub-domain.example.io', 'a_b-c@sub-domain.example.io'],
  ])('accepts %s', (input, normalised) => {
    expect(checkEmailAddress(input)).toEqual({ ok: true, email: normalised });
  });

  it.each([
    '',
    'plain',
    '@example.org',
    'ana@',
    'ana@localhost',
    'ana@example',
    'ana@example.123',
    'ana@-example.org',
    'ana@example-.org',
    'ana@exa_mple.org',
    'ana@[127.0.0.1]',
    '"ana"@example.org',
    'ana(comment)@example.org',
    'ana @example.org',
    'ana@example.org ',
    'ana\r\n@example.org',
    'ana@example.org\r\nBcc: victim@example.org',
    'ana\t@example.org',
    'an..a@example.org',
    '.ana@example.org',
    'ana.@example.org',
    'a@b@example.org',
    'ana@example..org',
    `${'a'.repeat(65)}@example.org`,
    `a@${'b'.repeat(64)}.org`,
    `${'a'.repeat(60)}@${Array(10).fill('b'.repeat(20)).join('.')}.org`,
    'ana\u0000@example.org',
    'anä@example.org',
  ])('refuses %j', (input) => {
    expect(checkEmailAddress(input).ok).toBe(false);
  });

  it('refuses anything over 254 characters, accepts 254', () => {
    const domain = `${Array(3).fill('d'.repeat(63)).join('.')}.org`; // 195 characters
    const at254 = `${'a'.repeat(254 - domain.length - 1)}@${domain}`;
    expect(at254).toHaveLength(254);
    expect(checkEmailAddress(at254).ok).toBe(true);
    expect(checkEmailAddress(`a${at254}`)).toEqual({ ok: false, reason: 'is longer than 254 characters' });
  });
});
