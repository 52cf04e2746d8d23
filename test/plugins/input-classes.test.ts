import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { containsNonFiniteNumber } from '../../src/http/json-body.js';
import { isDataException, toErrorBody } from '../../src/plugins/errors.js';

describe('containsNonFiniteNumber', () => {
  it.each([
    [Infinity, true],
    [-Infinity, true],
    [NaN, true],
    [{ page: Infinity }, true],
    [{ a: [1, { b: [2, -Infinity] }] }, true],
    [1e308, false],
    [{ page: 1, limit: 1000, name: 'Infinity' }, false],
    [[], false],
    [null, false],
    [undefined, false],
  ])('%o: %s', (value, expected) => expect(containsNonFiniteNumber(value)).toBe(expected));

  it('walks deep values without recursion', () => {
    let deep: unknown = Infinity;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(containsNonFiniteNumber(deep)).toBe(true);
  });
});

/** What the drivers throw, shaped as drizzle wraps it: the PostgreSQL error is the cause. */
const queryError = (code: string) => Object.assign(new Error('Failed query: select …'), { cause: Object.assign(new Error('refused'), { code }) });

describe('a value the database refuses (SQLSTATE class 22)', () => {
  it.each(['22003', '22007', '22008', '22009', '22P02', '2201X'])('%s is the request’s fault: a 400', (code) => {
    expect(isDataException(queryError(code))).toBe(true);
    const { status, body } = toErrorBody(queryError(code) as unknown as FastifyError);
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'HG_INVALID', message: expect.any(String) });
    // Never the database's own words: they may quote SQL.
    expect(body.message).not.toMatch(/select|refused/i);
  });

  it.each(['23505', '42P01', '57P01', 'ERR_INVALID_ARG_TYPE', '220'])('%s is not', (code) => {
    expect(isDataException(queryError(code))).toBe(false);
  });

  it('leaves other failures a 500', () => {
    expect(toErrorBody(queryError('42P01') as unknown as FastifyError).status).toBe(500);
  });
});
