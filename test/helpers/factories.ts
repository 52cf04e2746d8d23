import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/domain/vocabulary.js';
import type { Actor } from '../../src/core/actor.js';
import { createComponent as createComponentVerb, createGroup as createGroupVerb } from '../../src/modules/components/components.service.js';
import type { CreateComponentInput } from '../../src/modules/components/components.schemas.js';
import { systemContext } from '../../src/modules/context.js';
import { findUserById } from '../../src/modules/users/users.repo.js';
import { createUser } from '../../src/modules/users/users.service.js';
import { actingAs } from './context.js';

export interface TestUser {
  actor: Actor;
  token: string;
  password: string;
  /** `{ authorization: 'Bearer …' }` */
  auth: { authorization: string };
}

/** A user of the given role with a token signed directly (no login round trip). */
export async function makeUser(app: FastifyInstance, role: Role, name: string = role): Promise<TestUser> {
  const password = `pw-${randomUUID()}`;
  const view = await createUser(systemContext(app), { email: `${name}-${randomUUID().slice(0, 8)}@example.test`, name, role, password });
  const row = (await findUserById(app.db, view.id))!;
  const { token } = app.issueToken(row);
  const actor: Actor = { id: view.id, email: view.email, name: view.name, role: view.role };
  return { actor, token, password, auth: { authorization: `Bearer ${token}` } };
}

export async function makeComponent(app: FastifyInstance, owner: Actor, input: Partial<CreateComponentInput> = {}) {
  return createComponentVerb(actingAs(app, owner), { name: `Component ${randomUUID().slice(0, 6)}`, ...input });
}

export async function makeGroup(app: FastifyInstance, owner: Actor, name = `Group ${randomUUID().slice(0, 6)}`) {
  return createGroupVerb(actingAs(app, owner), { name });
}
