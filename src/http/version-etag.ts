import type { FastifyRequest } from 'fastify';
import { Errors } from '../core/errors.js';

/**
 * Optimistic concurrency over a row's version counter: the admin API hands the version out as a
 * strong ETag and a write may echo it in `If-Match`. Without the header (or with `*`) the write
 * goes ahead, so clients written before the check keep working.
 */
export const etagOf = (version: number) => `"${version}"`;

/** The version `If-Match` names, null when the caller asks for no check; 412 when it names none. */
export function ifMatchVersion(request: FastifyRequest, what: string): number | null {
  const header = request.headers['if-match'];
  if (header === undefined || header === '*') return null;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new Errors.preconditionFailed(`If-Match must be the ETag of the ${what}, like "3"`);
  return Number(match[1]);
}
