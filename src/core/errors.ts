import createError from '@fastify/error';

/**
 * Every error the product raises on purpose: a code clients can switch on, an HTTP status, and a
 * message that is safe to show. The error handler turns them into `{ error, message }`.
 */
export const Errors = {
  invalid: createError<[string]>('HG_INVALID', '%s', 400),
  unauthorized: createError<[string]>('HG_UNAUTHORIZED', '%s', 401),
  forbidden: createError<[string]>('HG_FORBIDDEN', '%s', 403),
  notFound: createError<[string, string]>('HG_NOT_FOUND', '%s %s not found', 404),
  conflict: createError<[string]>('HG_CONFLICT', '%s', 409),
  preconditionFailed: createError<[string]>('HG_PRECONDITION_FAILED', '%s', 412),
  urlTooLong: createError<[string]>('HG_URL_TOO_LONG', '%s', 414),
  rateLimited: createError<[string]>('HG_RATE_LIMITED', '%s', 429),
  databaseUnavailable: createError('HG_DATABASE_UNAVAILABLE', 'The database is unavailable', 503),
  busy: createError<[string]>('HG_BUSY', '%s', 503),
};
