import type { DbOrTx } from '../../db/client.js';
import type { ComponentGroupRow, ComponentRow } from '../../db/rows.js';
import type { Actor } from '../../core/actor.js';
import { worstStatus } from '../../domain/status.js';
import type { ComponentStatus } from '../../domain/vocabulary.js';
import { Errors } from '../../core/errors.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import { hasRole } from '../../plugins/auth.js';
import { announceStatusChanges } from './component-events.js';
import * as repo from './components.repo.js';
import type {
  ComponentGroupView,
  ComponentView,
  CreateComponentGroupInput,
  CreateComponentInput,
  UpdateComponentGroupInput,
  UpdateComponentInput,
} from './components.schemas.js';

export function toComponentView(row: repo.ComponentRow): ComponentView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    groupId: row.groupId,
    position: row.position,
    status: row.status,
    showcase: row.showcase,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toGroupView(row: repo.ComponentGroupRow, members: repo.ComponentRow[]): ComponentGroupView {
  const own = members.filter((c) => c.groupId === row.id);
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    status: worstStatus(own.map((c) => c.status)),
    componentIds: own.map((c) => c.id),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function assertGroupExists(db: DbOrTx, groupId: string | null | undefined) {
  if (groupId && !(await repo.findGroup(db, groupId))) throw new Errors.invalid(`Unknown component group ${groupId}`);
}

export async function listComponents(ctx: SystemContext): Promise<ComponentView[]> {
  return (await repo.listComponents(ctx.db)).map(toComponentView);
}

export async function createComponent(ctx: ServiceContext, input: CreateComponentInput): Promise<ComponentView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    await assertGroupExists(tx, input.groupId);
    const row = await repo.insertComponent(tx, { ...input, createdAt: now, updatedAt: now });
    // The first history row says when the component began to exist: uptime has no data before it.
    await repo.recordInitialStatus(tx, row, ctx.actor.id);
    await recordAudit(tx, ctx.actor, { action: 'component.create', targetType: 'component', targetId: row.id, after: row }, now);
    return toComponentView(row);
  });
}

/** Responders may change a component's status (that is incident work); everything else is the owner's. */
/**
 * `precondition` runs on the row once it is locked, before anything changes: it throws to refuse
 * the write (a console form opened on another version of the component).
 */
export async function updateComponent(
  ctx: ServiceContext,
  id: string,
  input: UpdateComponentInput,
  precondition?: (before: ComponentRow) => void,
): Promise<ComponentView> {
  const { status: _status, ...attributes } = input;
  if (Object.keys(attributes).length > 0 && !hasRole(ctx.actor, 'owner')) {
    throw new Errors.forbidden('Only an owner may change a component other than its status');
  }
  return (await writeComponent(ctx, ctx.actor, id, input, 'component.update', { precondition }))!;
}

/**
 * A status another status page gave the component (see component-sources): the same write as a
 * person's status change (history, uptime days, audit, `component_update` event), with no person
 * as its actor. False when the component is gone or already had that status.
 */
export async function mirrorComponentStatus(ctx: SystemContext, id: string, status: ComponentStatus): Promise<boolean> {
  try {
    return (await writeComponent(ctx, null, id, { status }, 'component.source_update', { onlyIfChanged: true })) !== null;
  } catch (error) {
    if (error instanceof Errors.notFound) return false;
    throw error;
  }
}

async function writeComponent(
  ctx: SystemContext,
  actor: Actor | null,
  id: string,
  input: UpdateComponentInput,
  action: string,
  options: { onlyIfChanged?: boolean; precondition?: (before: ComponentRow) => void } = {},
): Promise<ComponentView | null> {
  const now = ctx.clock();
  const { status, ...attributes } = input;
  return ctx.db.transaction(async (tx) => {
    const [before] = await repo.findComponentsForUpdate(tx, [id]);
    if (!before) throw new Errors.notFound('Component', id);
    options.precondition?.(before);
    await assertGroupExists(tx, attributes.groupId);
    const changed = status ? await repo.changeComponentStatus(tx, before, status, { at: now, actorId: actor?.id ?? null }) : false;
    if (options.onlyIfChanged && !changed) return null;
    const after = (await repo.updateComponent(tx, id, attributes, now))!;
    await recordAudit(tx, actor, { action, targetType: 'component', targetId: id, before, after }, now);
    // After the rename too: the event names the component as it now is.
    if (status) await announceStatusChanges(tx, ctx.site, now, { componentId: id });
    return toComponentView(after);
  });
}

export async function deleteComponent(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const before = await repo.deleteComponent(tx, id);
    if (!before) throw new Errors.notFound('Component', id);
    await recordAudit(tx, ctx.actor, { action: 'component.delete', targetType: 'component', targetId: id, before }, now);
  });
}

export async function listGroups(ctx: SystemContext): Promise<ComponentGroupView[]> {
  const [groups, members] = await Promise.all([repo.listGroups(ctx.db), repo.listComponents(ctx.db)]);
  return groups.map((g) => toGroupView(g, members));
}

export async function createGroup(ctx: ServiceContext, input: CreateComponentGroupInput): Promise<ComponentGroupView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertGroup(tx, { ...input, createdAt: now, updatedAt: now });
    await recordAudit(tx, ctx.actor, { action: 'group.create', targetType: 'component_group', targetId: row.id, after: row }, now);
    return toGroupView(row, []);
  });
}

/** `precondition`: as for `updateComponent`, on the locked group. */
export async function updateGroup(
  ctx: ServiceContext,
  id: string,
  input: UpdateComponentGroupInput,
  precondition?: (before: ComponentGroupRow) => void,
): Promise<ComponentGroupView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findGroup(tx, id, { lock: true });
    if (!before) throw new Errors.notFound('Component group', id);
    precondition?.(before);
    const after = (await repo.updateGroup(tx, id, input, now))!;
    await recordAudit(tx, ctx.actor, { action: 'group.update', targetType: 'component_group', targetId: id, before, after }, now);
    return toGroupView(after, await repo.listComponents(tx));
  });
}

/** Deleting a group keeps its components; they become ungrouped. */
export async function deleteGroup(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const before = await repo.deleteGroup(tx, id);
    if (!before) throw new Errors.notFound('Component group', id);
    await recordAudit(tx, ctx.actor, { action: 'group.delete', targetType: 'component_group', targetId: id, before }, now);
  });
}
