import { Errors } from '../../core/errors.js';
import { checkOutboundUrl, UnsafeUrl, type OutboundPolicy } from '../../http/outbound.js';
import { summaryUrl } from '../../domain/vendor-status.js';
import { recordAudit } from '../audit/index.js';
import { findComponentsForUpdate } from '../components/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import * as repo from './component-sources.repo.js';
import type { ComponentSourceView, SetComponentSourceInput } from './component-sources.schemas.js';

const iso = (at: Date | null) => at?.toISOString() ?? null;

export function toSourceView(row: repo.ComponentSourceRow): ComponentSourceView {
  return {
    componentId: row.componentId,
    url: row.url,
    vendorComponentId: row.vendorComponentId,
    openDraftOnDegrade: row.openDraftOnDegrade,
    vendorName: row.vendorName,
    vendorStatus: row.lastVendorStatus,
    lastPolledAt: iso(row.lastPolledAt),
    nextPollAt: row.nextPollAt.toISOString(),
    failures: row.failures,
    lastError: row.lastError,
    openIncidentId: row.openIncidentId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a link: what it follows, not the poller's state. */
const audited = (row: repo.ComponentSourceRow) => ({ url: row.url, vendorComponentId: row.vendorComponentId, openDraftOnDegrade: row.openDraftOnDegrade });

/** The component's source, or null when it follows none (or does not exist). */
export async function getSource(ctx: SystemContext, componentId: string): Promise<ComponentSourceView | null> {
  const row = await repo.findSource(ctx.db, componentId);
  return row ? toSourceView(row) : null;
}

/**
 * Links a component to another status page, or changes the link. The address is checked as a
 * webhook's is (http or https, no credentials, public addresses only unless the install allows
 * private ones), and checked again on every poll. The first poll is due at once.
 */
export async function setSource(ctx: ServiceContext, componentId: string, input: SetComponentSourceInput, policy: OutboundPolicy): Promise<ComponentSourceView> {
  const now = ctx.clock();
  let url: string;
  try {
    url = (await checkOutboundUrl(summaryUrl(input.url), policy)).toString();
  } catch (error) {
    if (error instanceof UnsafeUrl) throw new Errors.invalid(`The status page URL ${error.message}`);
    if (error instanceof TypeError) throw new Errors.invalid('The status page URL is not a URL');
    throw error;
  }
  return ctx.db.transaction(async (tx) => {
    const [component] = await findComponentsForUpdate(tx, [componentId]);
    if (!component) throw new Errors.notFound('Component', componentId);
    const before = await repo.findSource(tx, componentId);
    const vendorComponentId = input.vendorComponentId?.trim() || null;
    const same = before && before.url === url && before.vendorComponentId === vendorComponentId;
    const row = await repo.upsertSource(tx, {
      componentId,
      url,
      vendorComponentId,
      openDraftOnDegrade: input.openDraftOnDegrade ?? false,
      linkedBy: ctx.actor.id,
      // What is followed changed: what was known of the old one says nothing of the new.
      ...(same
        ? {}
        : { etag: null, lastPolledAt: null, failures: 0, lastError: null, lastVendorStatus: null, vendorName: null, claimedUntil: null }),
      nextPollAt: same ? before.nextPollAt : now,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    });
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'component.source_set', targetType: 'component', targetId: componentId, before: before ? audited(before) : null, after: audited(row) },
      now,
    );
    return toSourceView(row);
  });
}

/** Stops following: the component keeps the status it has, and is a component like any other. */
export async function deleteSource(ctx: ServiceContext, componentId: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const before = await repo.deleteSource(tx, componentId);
    if (!before) throw new Errors.notFound('Source of component', componentId);
    await recordAudit(tx, ctx.actor, { action: 'component.source_delete', targetType: 'component', targetId: componentId, before: audited(before) }, now);
  });
}
