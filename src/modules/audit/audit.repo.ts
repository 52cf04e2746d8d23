import type { DbOrTx } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
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
