import type { Tx } from '../../db/client.js';
import {
  checkUpdateTransition,
  latestComponentStatuses,
  lifecycleTimesProblem,
  type LifecycleTimes,
} from '../../domain/incident-lifecycle.js';
import { Errors } from '../../core/errors.js';
import { usableInstant } from '../../http/usable-instant.js';
import { recordAudit } from '../audit/index.js';
import { type ComponentRow, findComponentsForUpdate } from '../components/index.js';
import {
  applyComponentStatuses,
  lockComponents,
  normalizeStatuses,
  statusesForResolution,
  type ComponentStatuses,
} from './incident-components.js';
import { findUserById } from '../users/index.js';
import { notifyLatestIncidentUpdate } from './incident-notifier.js';
import type { incidentUpdates } from '../../db/schema/index.js';
import * as repo from './incidents.repo.js';
import { toNoteView } from './incidents.presenter.js';
import { detail } from './incidents.read.js';
import type { ServiceContext } from '../context.js';
import type {
  AddUpdateInput,
  CreateIncidentInput,
  IncidentDetailView,
  IncidentNoteView,
  PatchIncidentInput,
  PublishInput,
  ResolveInput,
} from './incidents.schemas.js';

/** Subscribers hear of the incident's latest public update in the verb's own transaction. */
const notify = (tx: Tx, incidentId: string, ctx: ServiceContext, now: Date) => notifyLatestIncidentUpdate(tx, incidentId, now, ctx.site);

/** An optional time of the input: null clears it, undefined leaves it as it is. */
const parseDate = (value: string | null | undefined) => (value === null || value === undefined ? value : usableInstant(value));

async function loadForUpdate(tx: Tx, id: string): Promise<repo.IncidentRow> {
  const incident = await repo.findIncident(tx, id, { lock: true });
  if (!incident) throw new Errors.notFound('Incident', id);
  return incident;
}

/**
 * Appends an update to an incident, rejecting unknown components (the verb's transaction then
 * writes nothing). It is public at once, and its component statuses take effect, unless the
 * incident is a draft: then both wait for publication.
 */
async function postUpdate(
  tx: Tx,
  incident: repo.IncidentRow,
  ctx: ServiceContext,
  now: Date,
  update: Pick<typeof incidentUpdates.$inferInsert, 'status' | 'body' | 'kind' | 'summary'> & {
    componentStatuses: ComponentStatuses;
    notify?: boolean;
  },
  /** The components, when the caller has locked them already. */
  locked?: ComponentRow[],
) {
  locked ??= await lockComponents(tx, Object.keys(update.componentStatuses));
  await repo.insertUpdate(tx, {
    ...update,
    incidentId: incident.id,
    notify: update.notify ?? true,
    authorId: ctx.actor.id,
    createdAt: now,
    publishedAt: incident.draft ? null : now,
  });
  if (!incident.draft) await applyComponentStatuses(tx, locked, update.componentStatuses, incident.id, { at: now, actorId: ctx.actor.id });
}

/** Checks the lifecycle times of any object carrying them (an incident row, say), and only those. */
function assertLifecycle(times: LifecycleTimes, now: Date) {
  const { startedAt, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt } = times;
  const problem = lifecycleTimesProblem({ startedAt, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt }, now);
  if (problem) throw new Errors.invalid(problem);
}

/**
 * Opens an incident and, unless it is a draft, publishes its first update in the same
 * transaction: when the call returns, the page and the feed can show it.
 */
export async function createIncident(ctx: ServiceContext, input: CreateIncidentInput): Promise<IncidentDetailView> {
  const now = ctx.clock();
  const detectedAt = parseDate(input.detectedAt) ?? now;
  const startedAt = parseDate(input.startedAt) ?? detectedAt;
  const draft = input.draft ?? false;
  const statuses = normalizeStatuses(input.componentStatuses);
  const times = { startedAt, detectedAt, acknowledgedAt: null, mitigatedAt: null, resolvedAt: null };
  assertLifecycle(times, now);
  return ctx.db.transaction(async (tx) => {
    const incident = await repo.insertIncident(tx, {
      title: input.title,
      severity: input.severity,
      impactOverride: input.impactOverride ?? null,
      status: input.status,
      draft,
      ...times,
      mitigatedAt: input.status === 'monitoring' ? now : null,
      createdBy: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await postUpdate(tx, incident, ctx, now, {
      status: input.status,
      body: input.message,
      componentStatuses: statuses,
      notify: input.notify,
    });
    await recordAudit(tx, ctx.actor, { action: 'incident.create', targetType: 'incident', targetId: incident.id, after: input });
    await notify(tx, incident.id, ctx, now);
    return detail(tx, incident, now, ctx.targets);
  });
}

export async function addUpdate(ctx: ServiceContext, id: string, input: AddUpdateInput): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    const transition = checkUpdateTransition(incident.status, input.status);
    if (!transition.ok) throw new Errors.conflict(transition.reason);
    await postUpdate(tx, incident, ctx, now, {
      status: input.status,
      body: input.message,
      componentStatuses: normalizeStatuses(input.componentStatuses),
      notify: input.notify,
    });
    const updated = await repo.updateIncident(
      tx,
      id,
      {
        status: input.status,
        // User impact stops, by definition, when the fix is being monitored.
        mitigatedAt: incident.mitigatedAt ?? (input.status === 'monitoring' ? now : null),
      },
      now,
    );
    await recordAudit(tx, ctx.actor, { action: 'incident.update', targetType: 'incident', targetId: id, after: input });
    await notify(tx, id, ctx, now);
    return detail(tx, updated, now, ctx.targets);
  });
}

export async function publishIncident(ctx: ServiceContext, id: string, input: PublishInput): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    if (!incident.draft) throw new Errors.conflict('The incident is already public');
    const pending = await repo.listUpdates(tx, id);
    if (pending.length === 0 && !input.message) {
      throw new Errors.invalid('This draft has no update yet: publish it with a message');
    }
    const status = input.status ?? incident.status;
    if (input.message) {
      const transition = checkUpdateTransition(incident.status, status);
      if (!transition.ok) throw new Errors.conflict(transition.reason);
      // Still a draft here: the update waits with the others and goes out with them below.
      const componentStatuses = normalizeStatuses(input.componentStatuses);
      await postUpdate(tx, incident, ctx, now, { status, body: input.message, componentStatuses, notify: input.notify });
    } else if (input.status || input.componentStatuses) {
      throw new Errors.invalid('status and componentStatuses come with a message');
    }
    await repo.publishPendingUpdates(tx, id, now);
    if (!incident.resolvedAt) {
      // Claims on components deleted while this was a draft have nothing left to set.
      const claims = latestComponentStatuses(await repo.listUpdates(tx, id));
      const existing = await findComponentsForUpdate(tx, Object.keys(claims));
      await applyComponentStatuses(tx, existing, claims, id, { at: now, actorId: ctx.actor.id });
    }
    const updated = await repo.updateIncident(
      tx,
      id,
      { draft: false, status, mitigatedAt: incident.mitigatedAt ?? (status === 'monitoring' ? now : null) },
      now,
    );
    await recordAudit(tx, ctx.actor, { action: 'incident.publish', targetType: 'incident', targetId: id, after: input });
    await notify(tx, id, ctx, now);
    return detail(tx, updated, now, ctx.targets);
  });
}

/** Stamps a lifecycle time once; repeating the call keeps the first stamp. */
async function stamp(ctx: ServiceContext, id: string, field: 'acknowledgedAt' | 'mitigatedAt'): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    if (incident[field]) return detail(tx, incident, now, ctx.targets);
    if (incident.resolvedAt) throw new Errors.conflict('The incident is resolved');
    const updated = await repo.updateIncident(tx, id, { [field]: now }, now);
    await recordAudit(tx, ctx.actor, { action: `incident.${field === 'acknowledgedAt' ? 'acknowledge' : 'mitigate'}`, targetType: 'incident', targetId: id });
    return detail(tx, updated, now, ctx.targets);
  });
}

export const acknowledgeIncident = (ctx: ServiceContext, id: string) => stamp(ctx, id, 'acknowledgedAt');
export const mitigateIncident = (ctx: ServiceContext, id: string) => stamp(ctx, id, 'mitigatedAt');

/**
 * The resolution announcement. Every component the incident touched goes back to operational,
 * unless the caller says otherwise or another open incident still holds it.
 */
export async function resolveIncident(ctx: ServiceContext, id: string, input: ResolveInput): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    if (incident.resolvedAt) throw new Errors.conflict('The incident is already resolved');
    if (incident.severity !== 'P3' && !input.postmortemDueAt) {
      throw new Errors.invalid(`A ${incident.severity} incident needs postmortemDueAt when it is resolved`);
    }
    const { statuses, locked } = await statusesForResolution(tx, id, normalizeStatuses(input.componentStatuses));
    await postUpdate(
      tx,
      incident,
      ctx,
      now,
      { status: 'resolved', kind: 'resolution', body: input.message, summary: input.summary, componentStatuses: statuses, notify: input.notify },
      locked,
    );
    const updated = await repo.updateIncident(
      tx,
      id,
      {
        status: 'resolved',
        resolvedAt: now,
        mitigatedAt: incident.mitigatedAt ?? now,
        postmortemDueAt: parseDate(input.postmortemDueAt) ?? null,
      },
      now,
    );
    await recordAudit(tx, ctx.actor, { action: 'incident.resolve', targetType: 'incident', targetId: id, after: input });
    await notify(tx, id, ctx, now);
    return detail(tx, updated, now, ctx.targets);
  });
}

export async function patchIncident(
  ctx: ServiceContext,
  id: string,
  input: PatchIncidentInput,
  expectedVersion: number | null,
): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const incident = await loadForUpdate(tx, id);
    if (expectedVersion !== null && expectedVersion !== incident.version) {
      throw new Errors.preconditionFailed(`The incident changed since you read it (version ${incident.version}); reload and retry`);
    }
    if (input.resolvedAt && !incident.resolvedAt) {
      throw new Errors.invalid('resolvedAt can only correct a resolved incident; resolve it with POST …/resolve');
    }
    if (incident.resolvedAt && input.mitigatedAt === null) {
      throw new Errors.invalid('A resolved incident was mitigated: mitigatedAt can be corrected, not removed');
    }
    const severity = input.severity ?? incident.severity;
    const postmortemDue = input.postmortemDueAt === undefined ? incident.postmortemDueAt : input.postmortemDueAt;
    if (incident.resolvedAt && severity !== 'P3' && postmortemDue === null) {
      throw new Errors.invalid(`A resolved ${severity} incident needs a postmortemDueAt`);
    }
    const roles = input.roles ?? {};
    for (const userId of Object.values(roles)) {
      if (userId && !(await findUserById(tx, userId))) throw new Errors.invalid(`Unknown user ${userId}`);
    }
    const changes = {
      title: input.title,
      severity: input.severity,
      impactOverride: input.impactOverride,
      commanderId: roles.commander,
      techLeadId: roles.techLead,
      commsLeadId: roles.commsLead,
      scribeId: roles.scribe,
      startedAt: parseDate(input.startedAt),
      detectedAt: parseDate(input.detectedAt),
      acknowledgedAt: parseDate(input.acknowledgedAt),
      mitigatedAt: parseDate(input.mitigatedAt),
      resolvedAt: parseDate(input.resolvedAt),
      postmortemDueAt: parseDate(input.postmortemDueAt),
    };
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    assertLifecycle({ ...incident, ...defined }, now);
    const updated = await repo.updateIncident(tx, id, defined, now);
    await recordAudit(tx, ctx.actor, { action: 'incident.patch', targetType: 'incident', targetId: id, before: incident, after: defined });
    return detail(tx, updated, now, ctx.targets);
  });
}

export async function addNote(ctx: ServiceContext, id: string, text: string): Promise<IncidentNoteView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    await loadForUpdate(tx, id);
    const note = await repo.insertNote(tx, { incidentId: id, authorId: ctx.actor.id, at: now, text });
    // Notes are part of the admin representation, so they move its version (its ETag) on.
    await repo.updateIncident(tx, id, {}, now);
    await recordAudit(tx, ctx.actor, { action: 'incident.note', targetType: 'incident', targetId: id });
    return toNoteView(note);
  });
}
