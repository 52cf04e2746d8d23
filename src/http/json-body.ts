import type { FastifyRequest } from 'fastify';
import { Errors } from '../core/errors.js';

/** Whether a parsed JSON body holds a NUL character anywhere (PostgreSQL text cannot). */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => containsNul(k) || containsNul(v));
  return false;
}

/**
 * Whether a validated input (query, params or body) holds a number that is not finite. Ajv
 * coerces a string such as "1e309" or "Infinity" to Infinity and then skips `minimum` and
 * `maximum` for it, so such a number gets past every schema limit. Walked without recursion.
 */
export function containsNonFiniteNumber(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'number' && !Number.isFinite(next)) return true;
    if (next && typeof next === 'object') pending.push(...Object.values(next));
  }
  return false;
}

/**
 * Whether JSON text nests arrays and objects deeper than `max`, read without parsing it and
 * without recursion. Text that is not JSON may be answered either way: the parser refuses it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // a backslash: the next character is escaped, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

type ParserDone = (err: Error | null, body?: unknown) => void;
type TextParser = (request: FastifyRequest, body: string, done: ParserDone) => void;

/**
 * A JSON body parser behind a nesting limit. JSON.parse copes with any depth, but whatever walks
 * the result next (validation, our own checks, serialisation) recurses: a body of a few hundred
 * thousand brackets, well inside the size limit, would overflow the stack and answer 500. Too
 * deep is a 400 before anything parses it.
 */
export function withDepthLimit(parse: TextParser, maxDepth: number): TextParser {
  return (request, body, done) => {
    if (nestsDeeperThan(body, maxDepth)) {
      done(new Errors.invalid(`The JSON body nests arrays and objects more than ${maxDepth} levels deep`));
      return;
    }
    parse(request, body, done);
  };
}
