import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { Errors } from '../../src/core/errors.js';
import { isDatabaseDown, toErrorBody } from '../../src/plugins/errors.js';

/** Wraps a driver error the way drizzle does: the query failure, with the driver's error as cause. */
function fromDriver(code: string, message = 'driver error'): FastifyError {
  return Object.assign(new Error('Failed query: …'), { cause: Object.assign(new Error(message), { code }) }) as never;
}

describe('toErrorBody', () => {
  it.each(['23503', '23505', '40001', '40P01'])('turns SQLSTATE %s (a concurrent change) into a 409 to retry', (code) => {
    expect(toErrorBody(fromDriver(code))).toEqual({
      status: 409,
      body: { error: 'HG_CONFLICT', message: expect.stringContaining('retry') },
    });
  });

  it('turns a refused connection into a 503', () => {
    expect(toErrorBody(fromDriver('ECONNREFUSED'))).toMatchObject({ status: 503, body: { error: 'HG_DATABASE_UNAVAILABLE' } });
    expect(toErrorBody(new Errors.databaseUnavailable() as FastifyError)).toMatchObject({ status: 503, body: { error: 'HG_DATABASE_UNAVAILABLE' } });
  });

  // The render cache serves the last good page for exactly these, so they must be the
  // database's trouble, never the request's.
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'CONNECT_TIMEOUT',
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    'CONNECTION_DESTROYED',
    '08006', // connection failure
    '08001', // cannot establish a connection
    '53100', // disk full
    '53200', // out of memory
    '53300', // too many connections
    '57P01', // admin shutdown
    '57P03', // cannot connect now (starting up)
  ])('turns %s (the database unavailable) into a 503 { error, message }', (code) => {
    expect(isDatabaseDown(fromDriver(code))).toBe(true);
    expect(toErrorBody(fromDriver(code))).toEqual({ status: 503, body: { error: 'HG_DATABASE_UNAVAILABLE', message: expect.any(String) } });
  });

  it('finds a refusal inside an AggregateError (every address of a host refused)', () => {
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'connect failed'), {});
    expect(isDatabaseDown(aggregate)).toBe(true);
    expect(isDatabaseDown(new Error('PGlite is closed'))).toBe(true);
  });

  it.each(['23505', '22003', '42P01', 'ENOENT', 'HG_INVALID'])('does not take %s for the database being down', (code) => {
    expect(isDatabaseDown(fromDriver(code))).toBe(false);
  });

  it('keeps a busy refusal as a 503 with its own code and message', () => {
    expect(toErrorBody(new Errors.busy('Too many pages at once') as FastifyError)).toEqual({
      status: 503,
      body: { error: 'HG_BUSY', message: 'Too many pages at once' },
    });
  });

  it('never shows the message of an unexpected error', () => {
    const body = toErrorBody(new Error('select password_hash from users …') as FastifyError);
    expect(body).toEqual({ status: 500, body: { error: 'HG_INTERNAL', message: 'Something went wrong on our side' } });
  });

  it('keeps our own coded errors as they are', () => {
    expect(toErrorBody(new Errors.conflict('The incident is already resolved') as FastifyError)).toEqual({
      status: 409,
      body: { error: 'HG_CONFLICT', message: 'The incident is already resolved' },
    });
  });
});
