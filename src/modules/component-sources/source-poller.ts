import type { Actor } from '../../core/actor.js';
import { componentStatusLabel } from '../../domain/status.js';
import { draftSeverityFor, isDegraded, nextPollDelayMs, readVendorStatus, type PollSchedule } from '../../domain/vendor-status.js';
import { roleAtLeast, type ComponentStatus } from '../../domain/vocabulary.js';
import { mirrorComponentStatus } from '../components/index.js';
import type { SystemContext } from '../context.js';
import { addNote, createIncident } from '../incidents/index.js';
import { findUserById } from '../users/index.js';
import * as repo from './component-sources.repo.js';
import { fetchSummary, PollFailure, type FetchOptions } from './vendor-fetch.js';

export interface PollOptions extends FetchOptions {
  schedule: PollSchedule;
}

export type PollResult = 'changed' | 'unchanged' | 'not_modified' | 'failed' | 'dropped';

export interface PollOutcome {
  componentId: string;
  result: PollResult;
  error?: string;
  /** The draft incident this poll opened. */
  draftIncidentId?: string;
}

/** Sources one tick polls at most, side by side; the rest wait for the next tick. */
const MAX_PER_TICK = 20;
/** A claim outlives the longest poll by this, so it never lapses while its poll still runs. */
const CLAIM_MARGIN_MS = 30_000;

/** The draft's held-back update, as an alert's: the page says nothing of it until someone publishes. */
const HOLDING_STATEMENT = (name: string) => `We are investigating a problem affecting ${name}.`;

/**
 * Polls every source that is due, each once across all processes (see `claimDue`). A page that
 * fails to answer in Statuspage's shape leaves its component as it is, logs why and is asked
 * again later and later (`nextPollDelayMs`). A good answer whose status differs from the
 * vendor's last one sets our component through the same write as a person's status change: a
 * status set by hand in between stands until the vendor's status changes again.
 */
export async function pollDueSources(ctx: SystemContext, options: PollOptions): Promise<PollOutcome[]> {
  const now = ctx.clock();
  const claimedUntil = new Date(now.getTime() + options.timeoutMs + CLAIM_MARGIN_MS);
  const claimed = await repo.claimDue(ctx.db, now, claimedUntil, MAX_PER_TICK);
  const settled = await Promise.allSettled(claimed.map((source) => pollOne(ctx, source, options)));
  return settled.flatMap((outcome, i) => {
    if (outcome.status === 'fulfilled') return [outcome.value];
    // Our side failed (the database, say), not the page: its claim lapses and the next tick tries again.
    ctx.log.error({ err: outcome.reason, componentId: claimed[i]!.componentId }, 'a third-party status poll could not be recorded');
    return [];
  });
}

async function pollOne(ctx: SystemContext, source: repo.ComponentSourceRow, options: PollOptions): Promise<PollOutcome> {
  const { componentId } = source;
  const failed = async (reason: string): Promise<PollOutcome> => {
    const at = ctx.clock();
    const failures = source.failures + 1;
    const nextPollAt = new Date(at.getTime() + nextPollDelayMs(failures, options.schedule));
    ctx.log.warn({ componentId, url: source.url, reason, failures, nextPollAt }, 'a third-party status page could not be read; the component keeps its status');
    const kept = await repo.finishPoll(ctx.db, source, { lastPolledAt: at, nextPollAt, failures, lastError: `The page ${reason}`, updatedAt: at });
    return { componentId, result: kept ? 'failed' : 'dropped', error: reason };
  };

  let fetched;
  try {
    fetched = await fetchSummary(source.url, source.etag, options);
  } catch (error) {
    if (error instanceof PollFailure) return failed(error.message);
    throw error;
  }
  const at = ctx.clock();
  const good = { lastPolledAt: at, nextPollAt: new Date(at.getTime() + nextPollDelayMs(0, options.schedule)), failures: 0, lastError: null, updatedAt: at };
  if (fetched.kind === 'not_modified') {
    const kept = await repo.finishPoll(ctx.db, source, good);
    return { componentId, result: kept ? 'not_modified' : 'dropped' };
  }
  const reading = readVendorStatus(fetched.summary, source.vendorComponentId);
  if (!reading.ok) return failed(reading.reason);

  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx, clock: () => at };
    const kept = await repo.finishPoll(tx, source, { ...good, etag: fetched.etag, lastVendorStatus: reading.status, vendorName: reading.name });
    if (!kept) return { componentId, result: 'dropped' as const };
    if (source.lastVendorStatus === reading.status) return { componentId, result: 'unchanged' as const };
    const changed = await mirrorComponentStatus(txCtx, componentId, reading.status);
    const draftIncidentId = isDegraded(reading.status) && source.openDraftOnDegrade ? await openDraft(txCtx, source, reading) : undefined;
    return { componentId, result: changed ? ('changed' as const) : ('unchanged' as const), ...(draftIncidentId && { draftIncidentId }) };
  });
}

/**
 * Opens a draft incident for a vendor's trouble, as an alert does: not public, its component
 * status waiting for publication, and a note saying where it came from. One per source while
 * it is unresolved. It is opened in the name of the owner who linked the source, as an API
 * token's drafts are its creator's; with no such person left who may open incidents, none.
 */
async function openDraft(
  ctx: SystemContext,
  source: repo.ComponentSourceRow,
  reading: { status: ComponentStatus; name: string },
): Promise<string | undefined> {
  const locked = await repo.lockSource(ctx.db, source.componentId);
  if (!locked || (await repo.hasOpenIncident(ctx.db, locked.openIncidentId))) return undefined;
  const user = locked.linkedBy ? await findUserById(ctx.db, locked.linkedBy) : undefined;
  if (!user || !roleAtLeast(user.role, 'responder')) {
    ctx.log.warn({ componentId: source.componentId }, 'a third-party page degraded, but nobody who may open incidents linked it: no draft opened');
    return undefined;
  }
  const actor: Actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  const verbs = { ...ctx, actor };
  const label = componentStatusLabel(reading.status).toLowerCase();
  const incident = await createIncident(verbs, {
    title: `${reading.name}: ${label}`.slice(0, 200),
    severity: draftSeverityFor(reading.status),
    status: 'investigating',
    message: HOLDING_STATEMENT(reading.name),
    componentStatuses: { [source.componentId]: reading.status },
    draft: true,
  });
  await addNote(verbs, incident.id, `Draft opened: ${reading.name} reports ${label} (${source.url}).`);
  await repo.setOpenIncident(ctx.db, source.componentId, incident.id);
  return incident.id;
}
