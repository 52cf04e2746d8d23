import { Errors } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';
import { recordAudit } from '../audit/index.js';
import { decoyHash, generatePassword, hashPassword, verifyPassword } from '../auth/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import { endSession, endUserSessions } from '../sessions/index.js';
import * as repo from './users.repo.js';
import type { CreateUserInput, UpdateUserInput, UserView } from './users.schemas.js';

export function toUserView(row: repo.UserRow): UserView {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.createdAt.toISOString() };
}

function withoutSecrets(row: repo.UserRow) {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** The user behind an email and password, or null; takes the same time whether or not the email exists. */
export async function authenticate(ctx: SystemContext, email: string, password: string): Promise<repo.UserRow | null> {
  const user = await repo.findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  return user && ok ? user : null;
}

export async function listUsers(ctx: SystemContext): Promise<UserView[]> {
  return (await repo.listUsers(ctx.db)).map(toUserView);
}

/** The signed-in user, as they see themselves. */
export async function getMe(ctx: ServiceContext): Promise<UserView> {
  const row = await repo.findUserById(ctx.db, ctx.actor.id);
  if (!row) throw new Errors.notFound('User', ctx.actor.id);
  return toUserView(row);
}

/**
 * Creates a user. Without an actor (a `SystemContext`) the audit log names no creator: the
 * first owner, made at start-up, has nobody before it.
 */
export async function createUser(ctx: SystemContext | ServiceContext, input: CreateUserInput): Promise<UserView> {
  const now = ctx.clock();
  const actor = 'actor' in ctx ? ctx.actor : null;
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const taken = () => new Errors.conflict(`A user with email ${input.email} exists`);
    if (await repo.findUserByEmail(tx, input.email)) throw taken();
    // The check above cannot see a concurrent request's uncommitted insert; the unique index can.
    const row = await repo.insertUser(tx, { email: input.email, name: input.name, role: input.role, passwordHash, createdAt: now, updatedAt: now });
    if (!row) throw taken();
    await recordAudit(tx, actor, { action: 'user.create', targetType: 'user', targetId: row.id, after: withoutSecrets(row) }, now);
    return toUserView(row);
  });
}

export async function updateUser(ctx: ServiceContext, id: string, input: UpdateUserInput): Promise<UserView> {
  const now = ctx.clock();
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findUserById(tx, id);
    if (!before) throw new Errors.notFound('User', id);
    if (before.role === 'owner' && input.role && input.role !== 'owner' && (await repo.lockOwners(tx)) <= 1) {
      throw new Errors.conflict('The last owner cannot be demoted');
    }
    const row = await repo.updateUser(tx, id, { name: input.name, role: input.role, passwordHash }, now);
    if (passwordHash) {
      // A new password ends every session that used the old one, but the one changing it.
      await repo.bumpTokenVersion(tx, id);
      await endUserSessions(tx, id, now, ctx.actor.id === id ? ctx.actor.sessionId : undefined);
    }
    await recordAudit(tx, ctx.actor, {
      action: passwordHash ? 'user.update+password' : 'user.update',
      targetType: 'user',
      targetId: id,
      before: withoutSecrets(before),
      after: withoutSecrets(row!),
    }, now);
    return toUserView(row!);
  });
}

export async function deleteUser(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const before = await repo.findUserById(tx, id);
    if (!before) throw new Errors.notFound('User', id);
    if (before.role === 'owner' && (await repo.lockOwners(tx)) <= 1) {
      throw new Errors.conflict('The last owner cannot be deleted');
    }
    // Audit first: an owner may delete themselves, and the row must not name a user already gone
    // (the foreign key then sets its actor to null, as for every row of a deleted user).
    await recordAudit(tx, ctx.actor, { action: 'user.delete', targetType: 'user', targetId: id, before: withoutSecrets(before) }, now);
    await repo.deleteUser(tx, id);
  });
}

/**
 * Signing out ends the calling session only. A token from before sessions existed names none:
 * then, as before, every token of the user ends.
 */
export async function logout(ctx: ServiceContext): Promise<void> {
  if (ctx.actor.sessionId) return endSession(ctx, ctx.actor.sessionId);
  return logoutEverywhere(ctx, 'user.logout');
}

/** Ends every session of the caller, on every device. */
export async function logoutEverywhere(ctx: ServiceContext, action = 'user.logout-everywhere'): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    await repo.bumpTokenVersion(tx, ctx.actor.id);
    await endUserSessions(tx, ctx.actor.id, now);
    await recordAudit(tx, ctx.actor, { action, targetType: 'user', targetId: ctx.actor.id }, now);
  });
}

export interface FirstOwner {
  user: Actor;
  /** Set only when the password was generated here and must be shown once. */
  generatedPassword?: string;
}

/** Creates the first owner on an empty database; does nothing once any user exists. */
export async function ensureFirstOwner(ctx: SystemContext, options: { email?: string; password?: string }): Promise<FirstOwner | null> {
  if ((await repo.countUsers(ctx.db)) > 0) return null;
  const email = options.email ?? 'admin@example.com';
  const generatedPassword = options.password ? undefined : generatePassword();
  try {
    const user = await createUser(ctx, { email, name: 'Owner', role: 'owner', password: options.password ?? generatedPassword! });
    return { user: { id: user.id, email: user.email, name: user.name, role: user.role }, generatedPassword };
  } catch (error) {
    // Another process starting on the same database created the owner first.
    if ((error as { code?: string }).code === 'HG_CONFLICT' || (await repo.countUsers(ctx.db)) > 0) return null;
    throw error;
  }
}
