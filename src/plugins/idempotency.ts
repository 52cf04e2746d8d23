import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { idempotencyKeys } from '../db/schema/index.js';
import { Errors } from '../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when this request is the first with its Idempotency-Key and its response must be kept. */
    idempotencyKey?: string;
  }
}

/** Whose keys these are: an API token is its own caller, apart from the user it acts for. */
const callerId = (request: FastifyRequest) => request.actor.token?.id ?? request.actor.id;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a first response is replayed for. */
const RETENTION_MS = 24 * 60 * 60 * 1000;
/** A first request still unanswered after this long is taken to have died with its process. */
const ABANDONED_MS = 60 * 1000;

/**
 * `Idempotency-Key` on admin writes: a repeat with the same key (from the same caller) returns
 * the first response and writes nothing. Only an accepted write's answer is kept: a refusal
 * (validation runs before the hook; a 404, a 409, a 5xx are dropped after it) writes nothing,
 * its key included, so a corrected or retried request can use the key again.
 * Registered inside the authenticated context: keys belong to the caller who sent them.
 */
export default fp(
  async (app) => {
    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (!WRITES.has(request.method) || key === undefined) return;
      if (typeof key !== 'string' || !KEY.test(key)) {
        throw new Errors.invalid('Idempotency-Key must be 1 to 255 visible ASCII characters');
      }
      const actorId = callerId(request);
      const now = app.now();
      const requestHash = createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('base64url');
      // The caller's own expired keys only: the primary key (actor, key) makes that cheap.
      await app.db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.actorId, actorId), lt(idempotencyKeys.createdAt, new Date(now.getTime() - RETENTION_MS))));
      const claimed = await app.db
        .insert(idempotencyKeys)
        .values({ actorId, key, method: request.method, path: request.url, requestHash, createdAt: now })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed.length > 0) {
        request.idempotencyKey = key;
        return;
      }
      const where = and(eq(idempotencyKeys.actorId, actorId), eq(idempotencyKeys.key, key));
      const [first] = await app.db.select().from(idempotencyKeys).where(where);
      if (!first) throw new Errors.conflict('That Idempotency-Key is being reused right now; retry');
      if (first.method !== request.method || first.path !== request.url) {
        throw new Errors.conflict(`That Idempotency-Key was used for ${first.method} ${first.path}`);
      }
      if (first.requestHash !== requestHash) {
        throw new Errors.conflict('That Idempotency-Key was used with a different request body');
      }
      if (first.statusCode === null) {
        if (now.getTime() - first.createdAt.getTime() < ABANDONED_MS) {
          throw new Errors.conflict('A request with this Idempotency-Key is still being handled');
        }
        // Only one retry may take the key over: the one whose update still finds the old stamp.
        const taken = await app.db
          .update(idempotencyKeys)
          .set({ createdAt: now })
          .where(and(where, eq(idempotencyKeys.createdAt, first.createdAt)))
          .returning({ key: idempotencyKeys.key });
        if (taken.length === 0) throw new Errors.conflict('A request with this Idempotency-Key is still being handled');
        request.idempotencyKey = key;
        return;
      }
      return reply.code(first.statusCode).header('idempotent-replayed', 'true').send(first.body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.idempotencyKey;
      if (!key) return payload;
      const where = and(eq(idempotencyKeys.actorId, callerId(request)), eq(idempotencyKeys.key, key));
      if (reply.statusCode >= 400) {
        await app.db.delete(idempotencyKeys).where(where);
      } else {
        const body = typeof payload === 'string' && payload.length > 0 ? JSON.parse(payload) : null;
        await app.db.update(idempotencyKeys).set({ statusCode: reply.statusCode, body }).where(where);
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['database', 'auth', 'context'] },
);

/**
 * preValidation hook for a route whose answer holds a secret shown once (a new API token, a
 * webhook's signing secret): a replayable answer would keep that secret among the idempotency
 * records and show it again. Refused before the idempotency preHandler can store anything.
 */
export function refuseIdempotencyKey(what: string) {
  return async (request: FastifyRequest) => {
    if (request.headers['idempotency-key'] !== undefined) {
      throw new Errors.invalid(`Idempotency-Key is not accepted when creating ${what}: its answer holds the secret`);
    }
  };
}
