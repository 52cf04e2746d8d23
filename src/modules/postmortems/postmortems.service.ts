import type { DbOrTx, Tx } from '../../db/client.js';
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import { actionItemOverdue, prefillTimeline, type TimelineEntry } from '../../domain/postmortem.js';
import { impactOf } from '../../domain/status.js';
import { Errors } from '../../core/errors.js';
import { usableInstant } from '../../http/usable-instant.js';
import { enqueueNotification } from '../../notifications/outbox.js';
import { isoInZone } from '../../text/zoned-iso.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import { findIncident, incidentWebhookEvent, listNotes, listPublishedUpdates, listUpdates } from '../incidents/index.js';
import { buildPostmortemNotification, postmortemBody, type PostmortemNotification } from './postmortem-content.js';
import * as repo from './postmortems.repo.js';
import type { PostmortemView, PutPostmortemInput } from './postmortems.schemas.js';

/** Announces a published postmortem inside the transaction that publishes it, at its time. */
export type PostmortemNotifier = (tx: Tx, notice: { incidentId: string; content: PostmortemNotification; at: Date }) => Promise<void>;

/**
 * Subscribers' mail and webhooks through the outbox, to those following any component the
 * incident touched, once per incident (its dedupe key) even if publication were ever repeated.
 */
export function outboxPostmortemNotifier(): PostmortemNotifier {
  return async (tx, { incidentId, content, at }) => {
    const componentIds = Object.keys(latestComponentStatuses(await listPublishedUpdates(tx, [incidentId])));
    await enqueueNotification(
      tx,
      {
        kind: 'postmortem.published',
        incidentId,
        componentIds,
        mail: { subject: content.subject, text: content.text, html: content.html },
        localizedMails: content.localizedMails,
        webhook: content.webhook,
        dedupeKey: `postmortem.published:${incidentId}`,
      },
      at,
    );
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function incidentOrThrow(db: DbOrTx, id: string, lock = false) {
  const incident = await findIncident(db, id, { lock });
  if (!incident) throw new Errors.notFound('Incident', id);
  return incident;
}

async function prefill(db: DbOrTx, incidentId: string): Promise<TimelineEntry[]> {
  const [updates, notes] = await Promise.all([listUpdates(db, incidentId), listNotes(db, incidentId)]);
  return prefillTimeline(updates, notes);
}

/** Today where the page is read: an action item is overdue once its due date has ended there. */
const todayOf = (ctx: SystemContext, now: Date) => isoInZone(now, ctx.site.timeZone).slice(0, 10);

async function toView(db: DbOrTx, incidentId: string, row: repo.PostmortemRow | undefined, today: string): Promise<PostmortemView> {
  const timeline = row?.timeline ?? null;
  return {
    incidentId,
    saved: row !== undefined,
    summary: row?.summary ?? '',
    timeline: timeline ?? (await prefill(db, incidentId)),
    timelinePrefilled: timeline === null,
    rootCause: row?.rootCause ?? '',
    whys: row?.whys ?? [],
    contributingFactors: row?.contributingFactors ?? [],
    actionItems: (row?.actionItems ?? []).map((a) => ({ ...a, overdue: actionItemOverdue(a, today) })),
    publishedAt: iso(row?.publishedAt),
    version: row?.version ?? 0,
    updatedBy: row?.updatedBy ?? null,
    createdAt: iso(row?.createdAt),
    updatedAt: iso(row?.updatedAt),
  };
}

/** The saved postmortem, or a blank template whose timeline is prefilled from updates and notes. */
export async function getPostmortem(ctx: SystemContext, incidentId: string): Promise<PostmortemView> {
  const today = todayOf(ctx, ctx.clock());
  await incidentOrThrow(ctx.db, incidentId);
  return toView(ctx.db, incidentId, await repo.findPostmortem(ctx.db, incidentId), today);
}

/**
 * Saves the whole postmortem. Allowed before and after publication: a published postmortem's
 * page shows the latest text (corrections should not need a second announcement).
 * With `expected` (the version an `If-Match` ETag or the console's form carried; 0 for "nothing
 * saved yet"), a save based on an older read is refused rather than overwriting another's text.
 */
export async function putPostmortem(ctx: ServiceContext, incidentId: string, input: PutPostmortemInput, expected: number | null = null): Promise<PostmortemView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    await incidentOrThrow(tx, incidentId, true);
    const before = await repo.findPostmortem(tx, incidentId, { lock: true });
    const current = before?.version ?? 0;
    if (expected !== null && expected !== current) {
      throw new Errors.preconditionFailed(`The postmortem was saved by someone else since you read it (version ${current}); reload and retry`);
    }
    const row = await repo.upsertPostmortem(tx, {
      incidentId,
      summary: input.summary,
      timeline:
        input.timeline?.map((e) => ({
          at: usableInstant(e.at, 'timeline at').toISOString(),
          text: e.text,
          source: e.source ?? 'author',
          // A line the author wrote is public unless marked; a note stays internal unless unmarked.
          internal: e.internal ?? e.source === 'note',
        })) ?? null,
      rootCause: input.rootCause ?? '',
      whys: input.whys ?? [],
      contributingFactors: input.contributingFactors ?? [],
      actionItems: (input.actionItems ?? []).map((a) => ({ title: a.title, owner: a.owner ?? null, dueDate: a.dueDate ?? null, done: a.done ?? false })),
      updatedBy: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, ctx.actor, { action: 'postmortem.put', targetType: 'incident', targetId: incidentId, before: before ?? null, after: input }, now);
    return toView(tx, incidentId, row, todayOf(ctx, now));
  });
}

/**
 * Publishes a saved postmortem of a resolved public incident: it shows on the page and in the
 * feed, and `notifier` announces it to the subscribers.
 */
export async function publishPostmortem(ctx: ServiceContext, incidentId: string, notifier: PostmortemNotifier): Promise<PostmortemView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await incidentOrThrow(tx, incidentId, true);
    const postmortem = await repo.findPostmortem(tx, incidentId, { lock: true });
    if (!postmortem) throw new Errors.conflict('There is no postmortem to publish yet: save one with PUT first');
    if (postmortem.publishedAt) throw new Errors.conflict('The postmortem is already published; edits show on the page as they are saved');
    if (incident.draft || !incident.resolvedAt) throw new Errors.conflict('A postmortem is published once the incident is public and resolved');
    if (!postmortem.rootCause.trim()) throw new Errors.invalid('A postmortem needs its root cause before it is published');
    const row = await repo.markPublished(tx, incidentId, now);
    const webhook = await incidentWebhookEvent(tx, {
      incident,
      ctx: { ...ctx.site, now },
      postmortem: { body: postmortemBody(row), publishedAt: row.publishedAt ?? now, updatedAt: row.updatedAt },
    });
    const content = buildPostmortemNotification(
      {
        incident: { ...incident, impact: impactOf(incident.severity, incident.impactOverride) },
        summary: row.summary,
        rootCause: row.rootCause,
        publicHtml: row.publicHtml,
        timeline: row.timeline,
        contributingFactors: row.contributingFactors,
        actionItems: row.actionItems,
        publishedAt: now,
        updatedAt: row.updatedAt,
      },
      ctx.site.publicUrl,
      ctx.site.pageName,
      webhook,
    );
    await notifier(tx, { incidentId, content, at: now });
    await recordAudit(tx, ctx.actor, { action: 'postmortem.publish', targetType: 'incident', targetId: incidentId }, now);
    return toView(tx, incidentId, row, todayOf(ctx, now));
  });
}
