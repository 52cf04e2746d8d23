import { csvRow } from '../../domain/csv.js';
import { checkEmailAddress } from '../../domain/email-address.js';
import { Errors } from '../../core/errors.js';
import { enqueueConfirmations } from '../../notifications/outbox.js';
import type { SubscriberTokens } from '../../notifications/subscriber-tokens.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import { checkComponents, confirmationSubject, newSubscriber } from './subscribe.service.js';
import * as repo from './subscribers.repo.js';
import type { ImportInput, ImportResult, SubscriberView } from './subscribers.schemas.js';

/** The owners' half of subscriptions: the list, its export and import, and removal. */

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

export async function listSubscribers(ctx: SystemContext, limit: number, offset: number, search = ''): Promise<SubscriberView[]> {
  return (await repo.listSubscribers(ctx.db, limit, offset, search.trim())).map(toSubscriberView);
}

export async function getSubscriber(ctx: SystemContext, id: string): Promise<SubscriberView> {
  const row = await repo.findById(ctx.db, id);
  if (!row) throw new Errors.notFound('Subscriber', id);
  return toSubscriberView(row);
}

export async function deleteSubscriber(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteSubscriber(tx, id))) throw new Errors.notFound('Subscriber', id);
    await recordAudit(tx, ctx.actor, { action: 'subscriber.delete', targetType: 'subscriber', targetId: id }, now);
  });
}

/**
 * Imports a list (a migration from another status page) in one transaction. Invalid addresses
 * are reported and skipped, as are addresses already subscribed and repeats within the list.
 * `tokens` signs the links of the confirmation mails, when the addresses still need confirming.
 */
export async function importSubscribers(ctx: ServiceContext, input: ImportInput, tokens: SubscriberTokens): Promise<ImportResult> {
  const now = ctx.clock();
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
    const rows = candidates.map((c) => newSubscriber(tokens, c.email, c.componentIds, now, input.confirmed));
    const inserted = await repo.insertSubscribers(tx, rows);
    if (!input.confirmed) await enqueueConfirmations(tx, inserted, confirmationSubject(ctx.site), now);
    await recordAudit(tx, ctx.actor, {
      action: 'subscriber.import',
      targetType: 'subscriber',
      after: { imported: inserted.length, confirmed: input.confirmed },
    }, now);
    return { imported: inserted.length, skipped: input.subscribers.length - inserted.length, invalid };
  });
}

/** Every subscriber as CSV, a page at a time (the list may be long). */
export async function* exportCsv(ctx: SystemContext): AsyncGenerator<string> {
  yield csvRow(['email', 'status', 'component_ids', 'confirmed_at', 'created_at']);
  const pageSize = 1000;
  for (let offset = 0; ; offset += pageSize) {
    const rows = await repo.listSubscribers(ctx.db, pageSize, offset);
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
