import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../src/core/actor.js';
import { systemContext, type ServiceContext } from '../../src/modules/context.js';

/** The context a request of `actor` gives a verb; `at` stops its clock there (history written in the past). */
export function actingAs(app: FastifyInstance, actor: Actor, at?: Date): ServiceContext {
  return { ...systemContext(app), actor, ...(at && { clock: () => at }) };
}
