import type { FastifyInstance } from 'fastify';
import { siteOf } from '../../src/config.js';
import type { Actor } from '../../src/core/actor.js';
import { systemClock } from '../../src/core/clock.js';
import type { Db } from '../../src/db/client.js';
import { DEFAULT_RESPONSE_TARGETS } from '../../src/domain/response-clocks.js';
import { systemContext, type ServiceContext, type SystemContext } from '../../src/modules/context.js';
import { testConfig } from './app.js';

/** The context a request of `actor` gives a verb; `at` stops its clock there (history written in the past). */
export function actingAs(app: FastifyInstance, actor: Actor, at?: Date): ServiceContext {
  return { ...systemContext(app), actor, ...(at && { clock: () => at }) };
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A context on a bare database, for a test that builds no app (a script's view of the data). */
export function databaseContext(db: Db): SystemContext {
  return { db, clock: systemClock, site: siteOf(testConfig()), log: quiet, targets: DEFAULT_RESPONSE_TARGETS };
}
