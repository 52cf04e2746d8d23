import { describe, expect, it } from 'vitest';
import { cacheControl, chooseEncoding } from '../../../src/surfaces/render-cache/send-rendered.js';

describe('chooseEncoding', () => {
  it.each([
    // What browsers and CDNs send.
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br, gzip', 'br'],
    ['gzip, deflate', 'gzip'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['deflate', 'identity'],
    ['identity', 'identity'],
    ['', 'identity'],
    [undefined, 'identity'],
    // Names are case-insensitive.
    ['GZIP, BR', 'br'],
    ['Gzip', 'gzip'],
  ] as const)('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0, br;q=0', 'identity'],
    ['gzip;q=0', 'identity'],
    ['br;q=0', 'identity'],
    ['gzip, br;q=0.0', 'gzip'],
    ['gzip;q=0, br', 'br'],
  ] as const)('q=0 excludes an encoding: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, br;q=0.8', 'br'],
    ['br;q=0.9, gzip', 'gzip'],
    ['gzip;q=0.7, br;q=0.7', 'br'],
    ['deflate;q=1, gzip;q=0.2', 'gzip'],
  ] as const)('prefers the higher quality, br on a tie: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['*, br;q=0', 'gzip'],
    ['*;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, *;q=0.1', 'gzip'],
    ['*;q=0.5, gzip;q=0', 'br'],
  ] as const)('"*" stands for every encoding not named: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  // RFC 9110 allows optional whitespace around ";" and "=": "br ;q=0" must still refuse br.
  it.each([
    ['gzip ; q=0.5, br ; q=0', 'gzip'],
    ['*, br ;q=0', 'gzip'],
    [' gzip , br ', 'br'],
    ['gzip;q=0 , br;q=0 ', 'identity'],
  ] as const)('tolerates whitespace around parameters: %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('cacheControl', () => {
  it('says public with max-age, stale-while-revalidate and stale-if-error', () => {
    expect(cacheControl({ maxAgeSeconds: 15, staleWhileRevalidateSeconds: 60, staleIfErrorSeconds: 86_400 })).toBe(
      'public, max-age=15, stale-while-revalidate=60, stale-if-error=86400',
    );
  });

  it('writes zeros as they are', () => {
    expect(cacheControl({ maxAgeSeconds: 0, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0 })).toBe(
      'public, max-age=0, stale-while-revalidate=0, stale-if-error=0',
    );
  });

  it('marks an immutable policy as such: a versioned asset never needs revalidating', () => {
    expect(cacheControl({ maxAgeSeconds: 31_536_000, staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0, immutable: true })).toBe(
      'public, max-age=31536000, immutable',
    );
  });
});
