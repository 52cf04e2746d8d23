import { Errors } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { SystemContext } from '../context.js';
import * as repo from './audit.repo.js';
import { AUDIT_PAGE_DEFAULT, type AuditFilters, type AuditPageView, type AuditRecordView } from './audit.schemas.js';

/**
 * A cursor names the last row of a page by its keyset, `(at, id)`. It is opaque to clients
 * (base64url of JSON) so its shape can change; one that does not decode is a 400.
 */
export function encodeCursor(row: { at: Date; id: number }): string {
  return Buffer.from(JSON.stringify([row.at.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: number } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as [unknown, unknown];
      const date = typeof at === 'string' ? new Date(at) : new Date(NaN);
      if (!Number.isNaN(date.getTime()) && Number.isSafeInteger(id) && (id as number) > 0) return { at: date, id: id as number };
    }
  } catch {
    // Not base64url of JSON: refused below like any other bad cursor.
  }
  throw new Errors.invalid('The cursor is not one this API gave out; start again without it');
}

function toRecordView(row: repo.AuditRow): AuditRecordView {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    tokenId: row.tokenId,
    action: row.action,
    objectType: row.targetType,
    objectId: row.targetId,
    before: row.before,
    after: row.after,
  };
}

/** One page of the audit log, newest first, with the cursor of the next (older) page. */
export async function listAudit(ctx: SystemContext, filters: AuditFilters): Promise<AuditPageView> {
  const limit = filters.limit ?? AUDIT_PAGE_DEFAULT;
  const actor = filters.actor?.trim();
  const rows = await repo.listAudit(
    ctx.db,
    {
      ...(actor ? (isUuid(actor) ? { actorId: actor.toLowerCase() } : { actorEmail: actor }) : {}),
      action: filters.action,
      targetType: filters.objectType,
      targetId: filters.objectId,
      since: filters.since ? new Date(filters.since) : undefined,
      until: filters.until ? new Date(filters.until) : undefined,
      before: filters.cursor ? decodeCursor(filters.cursor) : undefined,
    },
    // One more than asked for tells whether an older page exists.
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(toRecordView), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export { auditActions } from './audit.repo.js';
