import type { Db, Tx } from '../../db/client.js';
import { actionItemOverdue, prefillTimeline, type TimelineEntry } from '../../domain/postmortem.js';
import { impactOf } from '../../domain/status.js';
import { Errors } from '../../core/errors.js';
import { usableInstant } from '../../http/usable-instant.js';
import { isoInZone } from '../../text/zoned-iso.js';
import type { Actor } from '../../core/actor.js';
import { recordAudit } from '../audit/index.js';
import { findIncident, listNotes, listUpdates } from '../incidents/index.js';
import { buildPostmortemNotification, type PostmortemNotification } from './postmortem-content.js';
import * as repo from './postmortems.repo.js';
import type { PostmortemView, PutPostmortemInput } from './postmortems.schemas.js';
import { latestComponentStatuses } from '../../domain/incident-lifecycle.js';
import { enqueueNotification } from '../../notifications/outbox.js';
import { listPublishedUpdates } from '../incidents/index.js';

/** Announces a published postmortem inside the transaction that publishes it. */
export type PostmortemNotifier = (tx: Tx, notice: { incidentId: string; content: PostmortemNotification }) => Promise<void>;

/**
 * Subscribers' mail and webhooks through the outbox, to those following any component the
 * incident touched, once per incident (its dedupe key) even if publication were ever repeated.
 */
export function outboxPostmortemNotifier(now: () => Date): PostmortemNotifier {
  return async (tx, { incidentId, content }) => {
    const componentIds = Object.keys(latestComponentStatuses(await listPublishedUpdates(tx, [incidentId])));
    await enqueueNotification(
      tx,
      {
        kind: 'postmortem.published',
        incidentId,
        componentIds,
        mail: { subject: content.subject, text: content.text, html: content.html },
        webhook: content.webhook,
        dedupeKey: `postmortem.published:${incidentId}`,
      },
      now(),
    );
  };
}

export interface PostmortemContext {
  db: Db;
  actor: Actor;
  now: Date;
  publicUrl: string;
  pageName: string;
  /** Where action items' due dates are read: their day ends at midnight there. */
  timeZone: string;
  notifier: PostmortemNotifier;
}

/** When and where a postmortem is read: what decides which action items are overdue. */
export interface ReadingTime {
  now: Date;
  timeZone: string;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function incidentOrThrow(db: Db | Tx, id: string, lock = false) {
  const incident = await findIncident(db, id, { lock });
  if (!incident) throw new Errors.notFound('Incident', id);
  return incident;
}

async function prefill(db: Db | Tx, incidentId: string): Promise<TimelineEntry[]> {
  const [updates, notes] = await Promise.all([listUpdates(db, incidentId), listNotes(db, incidentId)]);
  return prefillTimeline(updates, notes);
}

async function toView(db: Db | Tx, incidentId: string, row: repo.PostmortemRow | undefined, at: ReadingTime): Promise<PostmortemView> {
  const timeline = row?.timeline ?? null;
  const today = isoInZone(at.now, at.timeZone).slice(0, 10);
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
    updatedBy: row?.updatedBy ?? null,
    createdAt: iso(row?.createdAt),
    updatedAt: iso(row?.updatedAt),
  };
}

/** The saved postmortem, or a blank template whose timeline is prefilled from updates and notes. */
export async function getPostmortem(db: Db, incidentId: string, at: ReadingTime): Promise<PostmortemView> {
  await incidentOrThrow(db, incidentId);
  return toView(db, incidentId, await repo.findPostmortem(db, incidentId), at);
}

/**
 * Saves the whole postmortem. Allowed before and after publication: a published postmortem's
 * page shows the latest text (corrections should not need a second announcement).
 */
export async function putPostmortem(ctx: PostmortemContext, incidentId: string, input: PutPostmortemInput): Promise<PostmortemView> {
  return ctx.db.transaction(async (tx) => {
    await incidentOrThrow(tx, incidentId, true);
    const before = await repo.findPostmortem(tx, incidentId, { lock: true });
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
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    await recordAudit(tx, ctx.actor, { action: 'postmortem.put', targetType: 'incident', targetId: incidentId, before: before ?? null, after: input });
    return toView(tx, incidentId, row, ctx);
  });
}

/** Publishes a saved postmortem of a resolved public incident: it shows on the page and in the feed. */
export async function publishPostmortem(ctx: PostmortemContext, incidentId: string): Promise<PostmortemView> {
  return ctx.db.transaction(async (tx) => {
    const incident = await incidentOrThrow(tx, incidentId, true);
    const postmortem = await repo.findPostmortem(tx, incidentId, { lock: true });
    if (!postmortem) throw new Errors.conflict('There is no postmortem to publish yet: save one with PUT first');
    if (postmortem.publishedAt) throw new Errors.conflict('The postmortem is already published; edits show on the page as they are saved');
    if (incident.draft || !incident.resolvedAt) throw new Errors.conflict('A postmortem is published once the incident is public and resolved');
    if (!postmortem.rootCause.trim()) throw new Errors.invalid('A postmortem needs its root cause before it is published');
    const row = await repo.markPublished(tx, incidentId, ctx.now);
    const content = buildPostmortemNotification(
      {
        incident: { ...incident, impact: impactOf(incident.severity, incident.impactOverride) },
        summary: row.summary,
        rootCause: row.rootCause,
        timeline: row.timeline,
        contributingFactors: row.contributingFactors,
        actionItems: row.actionItems,
        publishedAt: ctx.now,
        updatedAt: row.updatedAt,
      },
      ctx.publicUrl,
      ctx.pageName,
    );
    await ctx.notifier(tx, { incidentId, content });
    await recordAudit(tx, ctx.actor, { action: 'postmortem.publish', targetType: 'incident', targetId: incidentId });
    return toView(tx, incidentId, row, ctx);
  });
}
