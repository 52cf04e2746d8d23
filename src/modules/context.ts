import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import type { Site } from '../core/site.js';
import type { Db } from '../db/client.js';
import type { ResponseTargets } from '../domain/response-clocks.js';

/** What a verb may log: pino's and Fastify's loggers both fit. */
export interface Log {
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
}

/**
 * The one context every verb takes, built the same way for an HTTP request, a scheduler tick
 * or a script: the database, the clock (the only source of "now"), the page's identity, who
 * acts, where to log, and the response targets the incident clocks run against.
 */
export interface ServiceContext {
  db: Db;
  clock: Clock;
  site: Site;
  actor: Actor;
  log: Log;
  targets: ResponseTargets;
}

/** Work nobody asked for in person (schedulers, public reads): the same context, without an actor. */
export type SystemContext = Omit<ServiceContext, 'actor'>;

/** The context of an authenticated request. */
export function requestContext(app: FastifyInstance, request: FastifyRequest): ServiceContext {
  return { db: app.db, clock: app.now, site: app.site, actor: request.actor, log: request.log, targets: app.targets };
}

/** The context of background work in this app. */
export function systemContext(app: FastifyInstance): SystemContext {
  return { db: app.db, clock: app.now, site: app.site, log: app.log, targets: app.targets };
}
