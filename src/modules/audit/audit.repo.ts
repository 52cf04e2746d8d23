import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLog, users } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Written inside the transaction of the write it records, so neither exists without the other,
 * and stamped `at` the verb's own instant.
 */
export async function recordAudit(tx: DbOrTx, actor: Actor | null, entry: AuditEntry, at: Date): Promise<void> {
  await tx.insert(auditLog).values({
    at,
    actorId: actor?.id ?? null,
    tokenId: actor?.token?.id ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export interface AuditWhere {
  /** A user id, or an email (any letter case). */
  actorId?: string;
  actorEmail?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  /** Rows strictly older than this (at, id): the keyset of the page before. */
  before?: { at: Date; id: number };
}

export type AuditRow = typeof auditLog.$inferSelect & { actor: { id: string; email: string; name: string } | null };

/** Newest first, `(at, id)` descending: rows stamped the same instant keep one order across pages. */
export async function listAudit(db: DbOrTx, where: AuditWhere, limit: number): Promise<AuditRow[]> {
  const conditions: SQL[] = [];
  if (where.actorId) conditions.push(eq(auditLog.actorId, where.actorId));
  if (where.actorEmail) conditions.push(sql`lower(${users.email}) = lower(${where.actorEmail})`);
  if (where.action) conditions.push(eq(auditLog.action, where.action));
  if (where.targetType) conditions.push(eq(auditLog.targetType, where.targetType));
  if (where.targetId) conditions.push(eq(auditLog.targetId, where.targetId));
  if (where.since) conditions.push(gte(auditLog.at, where.since));
  if (where.until) conditions.push(lt(auditLog.at, where.until));
  if (where.before) conditions.push(sql`(${auditLog.at}, ${auditLog.id}) < (${where.before.at.toISOString()}::timestamptz, ${where.before.id})`);
  const rows = await db
    .select({ entry: auditLog, actorEmail: users.email, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
  return rows.map(({ entry, actorEmail, actorName }) => ({
    ...entry,
    actor: entry.actorId && actorEmail !== null && actorName !== null ? { id: entry.actorId, email: actorEmail, name: actorName } : null,
  }));
}

/** Every action the log holds, for the console's filter. */
export async function auditActions(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}
