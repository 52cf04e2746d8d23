import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { Errors } from '../../src/core/errors.js';
import { toErrorBody } from '../../src/plugins/errors.js';

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
