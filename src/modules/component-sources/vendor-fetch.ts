import type { IncomingMessage } from 'node:http';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { guardedRequest, type OutboundPolicy } from '../../http/outbound.js';
import type { VendorSummary } from '../../domain/vendor-status.js';

/** Larger than any real summary (Atlassian's own is ~20 KB); a page that sends more is not one. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

/**
 * The part of Statuspage's `summary.json` we read. Open objects: vendors add fields, and what we
 * do not read must not fail the poll.
 */
const SummaryShape = Type.Object({
  page: Type.Object({ name: Type.String({ maxLength: 1000 }) }),
  status: Type.Object({ indicator: Type.String({ maxLength: 100 }), description: Type.Optional(Type.String()) }),
  components: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Type.String(), status: Type.String() }))),
});

export type FetchResult = { kind: 'not_modified' } | { kind: 'summary'; summary: VendorSummary; etag: string | null };

/** Why a poll failed, in words for the owner; the component keeps its status. */
export class PollFailure extends Error {}

export interface FetchOptions extends OutboundPolicy {
  timeoutMs: number;
}

/**
 * GETs a vendor's summary with `If-None-Match`. Fails on anything but a 2xx answer of valid
 * JSON in Statuspage's shape, on a body past `MAX_SUMMARY_BYTES` (cut off as it arrives), on
 * silence past `timeoutMs` for the whole exchange, and on a redirect: one could lead anywhere,
 * so the owner is told to link the final address instead.
 */
export function fetchSummary(url: string, etag: string | null, options: FetchOptions): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => reject(new PollFailure(reason));
    let request: ReturnType<typeof guardedRequest>;
    try {
      request = guardedRequest(
        new URL(url),
        {
          method: 'GET',
          headers: { accept: 'application/json', 'user-agent': 'Heliograph-StatusMirror/1', ...(etag ? { 'if-none-match': etag } : {}) },
        },
        options,
      );
    } catch (error) {
      fail((error as Error).message);
      return;
    }
    // One deadline for connecting, answering and the whole body: a page trickling bytes fails too.
    const timeout = `gave no complete answer within ${options.timeoutMs} ms`;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      request.destroy(new PollFailure(timeout));
    }, options.timeoutMs);
    const done = () => clearTimeout(deadline);
    request.on('error', (error) => {
      done();
      fail(timedOut ? timeout : describeNetworkError(error));
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      // Whatever else such an answer sends is not read: the connection is dropped.
      const discard = () => {
        done();
        response.on('error', () => {});
        request.destroy();
      };
      if (status === 304) {
        discard();
        resolve({ kind: 'not_modified' });
        return;
      }
      if (status >= 300 && status < 400) {
        discard();
        fail(`answered HTTP ${status} (a redirect to ${clip(response.headers.location ?? 'nowhere')}); redirects are not followed, link the final address`);
        return;
      }
      if (status < 200 || status >= 300) {
        discard();
        fail(`answered HTTP ${status}`);
        return;
      }
      readBody(response, request).then(
        (text) => {
          done();
          try {
            resolve({ kind: 'summary', summary: parseSummary(text), etag: etagOf(response) });
          } catch (error) {
            reject(error);
          }
        },
        (error: Error) => {
          done();
          fail(timedOut ? timeout : error.message);
        },
      );
    });
    request.end();
  });
}

function readBody(response: IncomingMessage, request: { destroy: (error?: Error) => void }): Promise<string> {
  return new Promise((resolve, reject) => {
    // First: dropping the connection below makes the response emit an error of its own.
    response.on('error', reject);
    const tooLarge = (message: string) => {
      request.destroy();
      reject(new Error(message));
    };
    const declared = Number(response.headers['content-length']);
    if (declared > MAX_SUMMARY_BYTES) return tooLarge(`sent a body of ${declared} bytes, more than the ${MAX_SUMMARY_BYTES} a summary may have`);
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SUMMARY_BYTES) return tooLarge(`sent more than the ${MAX_SUMMARY_BYTES} bytes a summary may have`);
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The body as a summary, or a failure that says what it was instead. */
export function parseSummary(text: string): VendorSummary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const start = text.trimStart().slice(0, 1);
    throw new PollFailure(start === '<' ? 'answered HTML, not JSON (is this the summary.json address?)' : 'answered something that is not JSON');
  }
  if (!Value.Check(SummaryShape, value)) {
    const first = [...Value.Errors(SummaryShape, value)][0];
    throw new PollFailure(`answered JSON that is not a Statuspage v2 summary (${first?.instancePath || '/'} ${first?.message ?? ''})`.trim());
  }
  return value;
}

const etagOf = (response: IncomingMessage) => {
  const etag = response.headers.etag;
  return typeof etag === 'string' && etag.length <= 512 ? etag : null;
};

function describeNetworkError(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'refused the connection';
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return 'has a host that does not resolve';
  return error.code ? `could not be reached (${error.code}: ${clip(error.message)})` : clip(error.message);
}

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);
