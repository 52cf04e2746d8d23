import { randomUUID } from 'node:crypto';
import type { Db, DbOrTx } from '../../db/client.js';
import { csvRow } from '../../domain/csv.js';
import { checkEmailAddress } from '../../domain/email-address.js';
import { Errors } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';
import { recordAudit } from '../audit/index.js';
import { enqueueConfirmations } from '../../notifications/outbox.js';
import { SubscriberTokens } from '../../notifications/subscriber-tokens.js';
import * as repo from './subscribers.repo.js';
import type { ImportInput, ImportResult, SubscriberView } from './subscribers.schemas.js';

export interface SubscriberContext {
  db: Db;
  now: Date;
  tokens: SubscriberTokens;
  pageName: string;
}

const CONFIRM_TTL_MS = 24 * 3_600_000;
/** At most one confirmation mail per address per hour: the form cannot be used to flood an inbox. */
const CONFIRM_RESEND_MS = 3_600_000;

const confirmationSubject = (pageName: string) => `Confirm your subscription to ${pageName}`;

async function checkComponents(db: DbOrTx, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const existing = await repo.existingComponentIds(db, unique);
  const unknown = unique.filter((id) => !existing.has(id));
  if (unknown.length > 0) throw new Errors.invalid(`Unknown component ${unknown[0]}`);
  return unique;
}

function validEmail(input: string): string {
  const check = checkEmailAddress(input);
  if (!check.ok) throw new Errors.invalid(`The email address ${check.reason}`);
  return check.email;
}

/** A new subscriber row with its link nonces; the tokens themselves are never stored. */
function newSubscriber(tokens: SubscriberTokens, email: string, componentIds: string[], now: Date, confirmed: boolean) {
  const id = randomUUID();
  const unsubscribe = tokens.issue('unsubscribe', id);
  const confirm = confirmed ? null : tokens.issue('confirm', id);
  return {
    id,
    email,
    componentIds,
    confirmedAt: confirmed ? now : null,
    confirmNonce: confirm?.nonce ?? null,
    confirmTokenHash: confirm?.hash ?? null,
    confirmExpiresAt: confirm ? new Date(now.getTime() + CONFIRM_TTL_MS) : null,
    confirmationSentAt: confirm ? now : null,
    unsubscribeNonce: unsubscribe.nonce,
    unsubscribeTokenHash: unsubscribe.hash,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A public subscription request. The caller answers the same whatever happens here (new,
 * pending or confirmed address), so the form reveals nobody's subscription.
 */
export async function subscribe(ctx: SubscriberContext, input: { email: string; componentIds?: string[] }): Promise<void> {
  const email = validEmail(input.email);
  await ctx.db.transaction(async (tx) => {
    const componentIds = await checkComponents(tx, input.componentIds ?? []);
    const existing = await repo.findByEmail(tx, email, { lock: true });
    if (!existing) {
      const row = newSubscriber(ctx.tokens, email, componentIds, ctx.now, false);
      const inserted = await repo.insertSubscribers(tx, [row]);
      // Empty: the same address was inserted a moment ago by a concurrent request, which mails it.
      await enqueueConfirmations(tx, inserted, confirmationSubject(ctx.pageName), ctx.now);
      return;
    }
    if (existing.confirmedAt) return;
    const lastSent = existing.confirmationSentAt?.getTime() ?? 0;
    if (ctx.now.getTime() - lastSent < CONFIRM_RESEND_MS) return;
    const confirm = ctx.tokens.issue('confirm', existing.id);
    await repo.updateSubscriber(tx, existing.id, {
      componentIds,
      confirmNonce: confirm.nonce,
      confirmTokenHash: confirm.hash,
      confirmExpiresAt: new Date(ctx.now.getTime() + CONFIRM_TTL_MS),
      confirmationSentAt: ctx.now,
      updatedAt: ctx.now,
    });
    await enqueueConfirmations(tx, [existing.id], confirmationSubject(ctx.pageName), ctx.now);
  });
}

/** Confirms with the link's token: once, within 24 hours. Returns false if the link is no good. */
export async function confirm(ctx: SubscriberContext, token: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const row = await repo.findByConfirmHash(tx, SubscriberTokens.hash(token));
    if (!row || !row.confirmExpiresAt || row.confirmExpiresAt.getTime() <= ctx.now.getTime()) return false;
    await repo.updateSubscriber(tx, row.id, {
      confirmedAt: ctx.now,
      confirmNonce: null,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      updatedAt: ctx.now,
    });
    return true;
  });
}

/** Whether an unsubscribe link belongs to a subscriber (the GET page changes nothing). */
export async function findByUnsubscribeToken(db: Db, token: string) {
  return repo.findByUnsubscribeHash(db, SubscriberTokens.hash(token));
}

/** Removes the subscriber (and what is still queued for them). Repeating it is harmless. */
export async function unsubscribe(db: Db, token: string): Promise<boolean> {
  const row = await repo.findByUnsubscribeHash(db, SubscriberTokens.hash(token));
  return row ? repo.deleteSubscriber(db, row.id) : false;
}

export function toSubscriberView(row: repo.SubscriberRow): SubscriberView {
  return {
    id: row.id,
    email: row.email,
    componentIds: row.componentIds,
    status: row.confirmedAt ? 'confirmed' : 'pending',
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listSubscribers(db: Db, limit: number, offset: number): Promise<SubscriberView[]> {
  return (await repo.listSubscribers(db, limit, offset)).map(toSubscriberView);
}

export async function deleteSubscriber(db: Db, id: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await repo.deleteSubscriber(tx, id))) throw new Errors.notFound('Subscriber', id);
    await recordAudit(tx, actor, { action: 'subscriber.delete', targetType: 'subscriber', targetId: id });
  });
}

/**
 * Imports a list (a migration from another status page) in one transaction. Invalid addresses
 * are reported and skipped, as are addresses already subscribed and repeats within the list.
 */
export async function importSubscribers(ctx: SubscriberContext, input: ImportInput, actor: Actor): Promise<ImportResult> {
  const invalid: ImportResult['invalid'] = [];
  const seen = new Set<string>();
  const candidates: Array<{ email: string; componentIds: string[] }> = [];
  input.subscribers.forEach((entry, index) => {
    const check = checkEmailAddress(entry.email);
    if (!check.ok) {
      invalid.push({ index, email: entry.email.slice(0, 254), reason: check.reason });
      return;
    }
    const key = check.email.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push({ email: check.email, componentIds: [...new Set((entry.componentIds ?? []).map((id) => id.toLowerCase()))] });
  });
  return ctx.db.transaction(async (tx) => {
    await checkComponents(tx, candidates.flatMap((c) => c.componentIds));
    const rows = candidates.map((c) => newSubscriber(ctx.tokens, c.email, c.componentIds, ctx.now, input.confirmed));
    const inserted = await repo.insertSubscribers(tx, rows);
    if (!input.confirmed) await enqueueConfirmations(tx, inserted, confirmationSubject(ctx.pageName), ctx.now);
    await recordAudit(tx, actor, {
      action: 'subscriber.import',
      targetType: 'subscriber',
      after: { imported: inserted.length, confirmed: input.confirmed },
    });
    return { imported: inserted.length, skipped: input.subscribers.length - inserted.length, invalid };
  });
}

/** Every subscriber as CSV, a page at a time (the list may be long). */
export async function* exportCsv(db: Db): AsyncGenerator<string> {
  yield csvRow(['email', 'status', 'component_ids', 'confirmed_at', 'created_at']);
  const pageSize = 1000;
  for (let offset = 0; ; offset += pageSize) {
    const rows = await repo.listSubscribers(db, pageSize, offset);
    if (rows.length > 0) {
      yield rows
        .map((row) =>
          csvRow([row.email, row.confirmedAt ? 'confirmed' : 'pending', row.componentIds.join(' '), row.confirmedAt?.toISOString(), row.createdAt.toISOString()]),
        )
        .join('');
    }
    if (rows.length < pageSize) return;
  }
}
