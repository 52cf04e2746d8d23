import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import '@fastify/view';
import type { Language } from '../domain/languages.js';
import { languageLocals, pageLanguage } from '../i18n/page-language.js';

interface ErrorBody {
  error: string;
  message: string;
}

/** Socket-level failures of reaching the database (Node's `errno` codes). */
const NETWORK_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * SQLSTATE classes that say the database, not the request, is the trouble: 08 connection
 * exception, 53 insufficient resources (53100 disk full, 53300 too many connections), 57
 * operator intervention (57P01 admin shutdown, 57P03 cannot connect now, 57014 a statement
 * cancelled by its timeout).
 */
const DATABASE_DOWN_SQLSTATE = /^(08|53|57)[0-9A-Z]{3}$/;

/**
 * Whether `error` (or anything in its cause chain, or an AggregateError's errors: Node tries
 * each address of a host) means the database is unavailable: the request may be fine, the
 * database is not. Both drivers: postgres.js raises `CONNECT_TIMEOUT` and `CONNECTION_*`,
 * PGlite "PGlite is closed". The one classification the error handler (503) and the render
 * cache (serve the last good render) share.
 */
export function isDatabaseDown(error: unknown, depth = 0): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  if (typeof e.code === 'string') {
    if (e.code === 'HG_DATABASE_UNAVAILABLE' || NETWORK_DOWN_CODES.has(e.code)) return true;
    if (e.code.startsWith('CONNECT') || DATABASE_DOWN_SQLSTATE.test(e.code)) return true;
  }
  if (typeof e.message === 'string' && /PGlite is closed/i.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseDown(inner, depth + 1))) return true;
  return e.cause !== undefined && e.cause !== error && isDatabaseDown(e.cause, depth + 1);
}

/**
 * PostgreSQL refusals that mean "someone changed this at the same moment": a row referred to
 * was deleted, a unique value was taken, or two transactions collided. The request was fine
 * when checked; retrying it gives a clear answer. By SQLSTATE code, searched through causes.
 */
const CONCURRENT_CHANGE_CODES = new Set(['23503', '23505', '40001', '40P01']);

function concurrentChange(error: unknown, depth = 0): boolean {
  const e = error as { code?: string; cause?: unknown } | undefined;
  if (!e || depth > 5) return false;
  if (e.code && CONCURRENT_CHANGE_CODES.has(e.code)) return true;
  return e.cause !== undefined && concurrentChange(e.cause, depth + 1);
}

/**
 * SQLSTATE class 22, "data exception": the database refused a value as out of its range or
 * unreadable (a number past bigint, a year past 9999 written as +010000, …). Schemas cannot
 * know every column's range; the value came with the request, so it is the request's fault.
 */
export function isDataException(error: unknown, depth = 0): boolean {
  const e = error as { code?: unknown; cause?: unknown } | undefined;
  if (!e || depth > 5) return false;
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) return true;
  return e.cause !== undefined && isDataException(e.cause, depth + 1);
}

/** Browsers asking for a page get a page; everything else, and all of /api, gets JSON. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

export function toErrorBody(error: FastifyError): { status: number; body: ErrorBody } {
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    return { status: 400, body: { error: 'HG_INVALID', message: `Invalid ${where}: ${error.message.replace(/^(body|querystring|params|headers)\/?/, '')}` } };
  }
  if (isDatabaseDown(error)) {
    return { status: 503, body: { error: 'HG_DATABASE_UNAVAILABLE', message: 'The database is unavailable; try again shortly' } };
  }
  // Too many renders waiting already: the client may try again in a moment.
  if (error.code === 'HG_BUSY') return { status: 503, body: { error: 'HG_BUSY', message: error.message } };
  if (concurrentChange(error)) {
    return { status: 409, body: { error: 'HG_CONFLICT', message: 'Something this request refers to changed at the same moment; retry' } };
  }
  if (isDataException(error)) {
    return { status: 400, body: { error: 'HG_INVALID', message: 'A value in the request is out of the range the database can store' } };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    // Never echo an internal message: it may hold SQL, paths or secrets.
    return { status, body: { error: 'HG_INTERNAL', message: 'Something went wrong on our side' } };
  }
  return { status, body: { error: error.code ?? 'HG_ERROR', message: error.message } };
}

/**
 * An error page speaks the reader's `?lang=`: its frame always, its message too when the
 * language is not English (the error's own message is English, and more precise).
 */
function errorLanguage(request: FastifyRequest, status: number) {
  const server = request.server;
  const defaultLanguage: Language = server.hasDecorator('defaultLanguage') ? server.defaultLanguage() : 'en';
  const lang = pageLanguage((request.query as { lang?: unknown } | undefined)?.lang, defaultLanguage);
  const locals = languageLocals(request.url.split('?')[0] ?? '/', lang, defaultLanguage);
  if (lang === 'en') return locals;
  const message = status === 404 ? locals.t('error.noPage') : status === 503 ? locals.t('error.unavailable') : locals.t('error.generic');
  return { ...locals, message };
}

async function send(request: FastifyRequest, reply: FastifyReply, status: number, body: ErrorBody) {
  reply.code(status);
  if (wantsHtml(request) && request.server.hasDecorator('view')) {
    const server = request.server;
    // The page's own look (logo, accent, footer links) where the settings are loaded.
    const brand = server.hasDecorator('pageSettings') ? server.pageSettings.current : undefined;
    const html = await server.view('pages/error.eta', { status, ...body, ...errorLanguage(request, status), pageName: server.site.pageName, brand });
    return reply.type('text/html; charset=utf-8').send(html);
  }
  return reply.type('application/json; charset=utf-8').send(body);
}

/**
 * What the router refuses before any route, hook or error handler runs (Fastify's
 * `frameworkErrors`), in our own words: a percent-encoding that decodes to nothing, a path
 * parameter over the length limit.
 */
const FRAMEWORK_ERRORS: Record<string, { status: number; body: ErrorBody }> = {
  FST_ERR_BAD_URL: { status: 400, body: { error: 'HG_INVALID', message: 'The URL is not valid: a % must start an escape such as %20' } },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, body: { error: 'HG_URL_TOO_LONG', message: 'A part of the URL path is too long' } },
};

/**
 * Fastify's `frameworkErrors` option: the same `{ error, message }` (or error page) as every
 * other error. No hook runs for these, so the answer says itself that it is not to be cached.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = FRAMEWORK_ERRORS[error.code] ?? toErrorBody(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  reply.header('cache-control', 'no-store');
  send(request, reply, status, body).catch((err: unknown) => {
    request.log.error({ err }, 'error answer failed');
    if (!reply.sent) reply.code(500).type('application/json; charset=utf-8').send({ error: 'HG_INTERNAL', message: 'Something went wrong on our side' });
  });
}

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const { status, body } = toErrorBody(error);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      // A client's mistake, but one a schema should have caught: worth a look.
      else if (isDataException(error)) request.log.warn({ err: error }, 'the database refused a value from the request');
      const headers = (error as { headers?: Record<string, string> }).headers;
      if ((status === 429 || status === 503) && headers) reply.headers(headers);
      return send(request, reply, status, body);
    });
    app.setNotFoundHandler(async (request, reply) =>
      send(request, reply, 404, { error: 'HG_NOT_FOUND', message: `No such page: ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'errors', dependencies: ['context'] },
);
