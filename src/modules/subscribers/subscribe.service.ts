import type { Language } from '../../domain/languages.js';
import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import { checkEmailAddress } from '../../domain/email-address.js';
import { Errors } from '../../core/errors.js';
import type { Site } from '../../core/site.js';
import { enqueueConfirmations } from '../../notifications/outbox.js';
import { SubscriberTokens } from '../../notifications/subscriber-tokens.js';
import type { SystemContext } from '../context.js';
import * as repo from './subscribers.repo.js';

/** The public half of subscriptions: subscribe, confirm, unsubscribe. Nobody signs in for them. */

const CONFIRM_TTL_MS = 24 * 3_600_000;
/** At most one confirmation mail per address per hour: the form cannot be used to flood an inbox. */
const CONFIRM_RESEND_MS = 3_600_000;

export const confirmationSubject = (site: Site) => `Confirm your subscription to ${site.pageName}`;

export async function checkComponents(db: DbOrTx, ids: string[]): Promise<string[]> {
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
export function newSubscriber(tokens: SubscriberTokens, email: string, componentIds: string[], now: Date, confirmed: boolean, language: string | null = null) {
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
    language,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A public subscription request. The caller answers the same whatever happens here (new,
 * pending or confirmed address), so the form reveals nobody's subscription. `tokens` signs the
 * links of the confirmation mail.
 */
export async function subscribe(
  ctx: SystemContext,
  /** `language`: the page's language when the form was sent; the subscriber's mails come in it. */
  input: { email: string; componentIds?: string[]; language: Language },
  tokens: SubscriberTokens,
): Promise<void> {
  const now = ctx.clock();
  const email = validEmail(input.email);
  await ctx.db.transaction(async (tx) => {
    const componentIds = await checkComponents(tx, input.componentIds ?? []);
    const existing = await repo.findByEmail(tx, email, { lock: true });
    if (!existing) {
      const row = newSubscriber(tokens, email, componentIds, now, false, input.language);
      const inserted = await repo.insertSubscribers(tx, [row]);
      // Empty: the same address was inserted a moment ago by a concurrent request, which mails it.
      await enqueueConfirmations(tx, inserted, confirmationSubject(ctx.site), now);
      return;
    }
    if (existing.confirmedAt) return;
    const lastSent = existing.confirmationSentAt?.getTime() ?? 0;
    if (now.getTime() - lastSent < CONFIRM_RESEND_MS) return;
    const confirm = tokens.issue('confirm', existing.id);
    await repo.updateSubscriber(tx, existing.id, {
      componentIds,
      language: input.language,
      confirmNonce: confirm.nonce,
      confirmTokenHash: confirm.hash,
      confirmExpiresAt: new Date(now.getTime() + CONFIRM_TTL_MS),
      confirmationSentAt: now,
      updatedAt: now,
    });
    await enqueueConfirmations(tx, [existing.id], confirmationSubject(ctx.site), now);
  });
}

/** Confirms with the link's token: once, within 24 hours. Returns false if the link is no good. */
export async function confirm(ctx: SystemContext, token: string): Promise<boolean> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const row = await repo.findByConfirmHash(tx, SubscriberTokens.hash(token));
    if (!row || !row.confirmExpiresAt || row.confirmExpiresAt.getTime() <= now.getTime()) return false;
    await repo.updateSubscriber(tx, row.id, {
      confirmedAt: now,
      confirmNonce: null,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      updatedAt: now,
    });
    return true;
  });
}

/** Whom an unsubscribe link stops: an email address or a webhook's URL. */
export interface Unsubscribable {
  kind: 'email' | 'webhook';
  id: string;
  /** What the page names: the address, or the URL events are sent to. */
  label: string;
}

/**
 * Whose unsubscribe link this is (the GET page changes nothing). Email and webhook subscribers'
 * links are made the same way, so one link page serves both.
 */
export async function findByUnsubscribeToken(ctx: SystemContext, token: string): Promise<Unsubscribable | undefined> {
  const hash = SubscriberTokens.hash(token);
  const subscriber = await repo.findByUnsubscribeHash(ctx.db, hash);
  if (subscriber) return { kind: 'email', id: subscriber.id, label: subscriber.email };
  const webhook = await repo.findWebhookByUnsubscribeHash(ctx.db, hash);
  return webhook ? { kind: 'webhook', id: webhook.id, label: webhook.url } : undefined;
}

/** Removes the subscriber or webhook (and what is still queued for it). Repeating it is harmless. */
export async function unsubscribe(ctx: SystemContext, token: string): Promise<boolean> {
  const found = await findByUnsubscribeToken(ctx, token);
  if (!found) return false;
  return found.kind === 'email' ? repo.deleteSubscriber(ctx.db, found.id) : repo.deleteWebhook(ctx.db, found.id);
}
