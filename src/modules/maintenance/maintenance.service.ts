import type { Tx } from '../../db/client.js';
import { isUnderWay, windowProblem } from '../../domain/maintenance-window.js';
import { Errors } from '../../core/errors.js';
import { usableInstant } from '../../http/usable-instant.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../context.js';
import { lockComponents } from '../incidents/index.js';
import { announceMaintenance, transitionMaintenance } from './maintenance-lifecycle.js';
import { viewOf } from './maintenance.read.js';
import * as repo from './maintenance.repo.js';
import type { CreateMaintenanceInput, MaintenanceView, PatchMaintenanceInput } from './maintenance.schemas.js';

/** The writing half of the maintenance module: announce, edit and move forward, delete. */

function assertWindow(scheduledFor: Date, scheduledUntil: Date) {
  const problem = windowProblem({ scheduledFor, scheduledUntil });
  if (problem) throw new Errors.invalid(problem);
}

const normalizeIds = (ids: string[] = []) => [...new Set(ids.map((id) => id.toLowerCase()))];

async function loadForUpdate(tx: Tx, id: string) {
  const row = await repo.findMaintenance(tx, id, { lock: true });
  if (!row) throw new Errors.notFound('Maintenance', id);
  return row;
}

/**
 * Announces a maintenance. A window that has begun already is accepted (the scheduler starts
 * it on its next tick, if it starts itself); one that is over is refused.
 */
export async function createMaintenance(ctx: ServiceContext, input: CreateMaintenanceInput): Promise<MaintenanceView> {
  const now = ctx.clock();
  // Schema validation passed, yet a few valid RFC 3339 strings (a leap second) are not instants.
  const scheduledFor = usableInstant(input.scheduledFor);
  const scheduledUntil = usableInstant(input.scheduledUntil);
  assertWindow(scheduledFor, scheduledUntil);
  if (scheduledUntil.getTime() <= now.getTime()) throw new Errors.invalid('scheduledUntil is in the past: that window is over');
  const componentIds = normalizeIds(input.componentIds);
  return ctx.db.transaction(async (tx) => {
    await lockComponents(tx, componentIds);
    const row = await repo.insertMaintenance(tx, {
      title: input.title,
      body: input.body,
      scheduledFor,
      scheduledUntil,
      autoStart: input.autoStart ?? true,
      autoComplete: input.autoComplete ?? true,
      createdBy: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await repo.setComponents(tx, row.id, componentIds);
    await repo.insertUpdate(tx, { maintenanceId: row.id, status: 'scheduled', body: input.body, authorId: ctx.actor.id, createdAt: now });
    await announceMaintenance(tx, ctx.site, row.id, 'maintenance.scheduled', now);
    await recordAudit(tx, ctx.actor, { action: 'maintenance.create', targetType: 'maintenance', targetId: row.id, after: input }, now);
    return viewOf(tx, row);
  });
}

/**
 * Edits and moves a maintenance forward. The window and the components can change while it is
 * scheduled; once under way only its end may move (overrunning work); a completed maintenance
 * keeps its record, only its wording can be corrected.
 */
export async function patchMaintenance(ctx: ServiceContext, id: string, input: PatchMaintenanceInput): Promise<MaintenanceView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    let row = await loadForUpdate(tx, id);
    const scheduledFor = input.scheduledFor ? usableInstant(input.scheduledFor) : row.scheduledFor;
    const scheduledUntil = input.scheduledUntil ? usableInstant(input.scheduledUntil) : row.scheduledUntil;
    if (row.status !== 'scheduled' && (input.scheduledFor || input.componentIds)) {
      throw new Errors.conflict('scheduledFor and componentIds can only change while the maintenance is scheduled');
    }
    if (row.status === 'completed' && (input.scheduledUntil || input.autoStart !== undefined || input.autoComplete !== undefined)) {
      throw new Errors.conflict('The maintenance is completed: only its title and body can be corrected');
    }
    assertWindow(scheduledFor, scheduledUntil);
    // As at creation: a window moved wholly into the past would never run, yet the scheduler
    // would announce it completed. Work under way may end now (its end moved to the past).
    const staysScheduled = row.status === 'scheduled' && (input.status === undefined || input.status === 'scheduled');
    if (input.scheduledUntil && staysScheduled && scheduledUntil.getTime() <= now.getTime()) {
      throw new Errors.invalid('scheduledUntil is in the past: that window is over');
    }
    if (input.componentIds) {
      const ids = normalizeIds(input.componentIds);
      await lockComponents(tx, ids);
      await repo.setComponents(tx, id, ids);
    }
    const changes = {
      title: input.title,
      body: input.body,
      scheduledFor: input.scheduledFor ? scheduledFor : undefined,
      scheduledUntil: input.scheduledUntil ? scheduledUntil : undefined,
      autoStart: input.autoStart,
      autoComplete: input.autoComplete,
    };
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    row = await repo.updateMaintenance(tx, id, defined, now);
    if (input.status && input.status !== row.status) {
      row = await transitionMaintenance(tx, ctx.site, row, input.status, { at: now, actorId: ctx.actor.id, message: input.message });
    } else if (input.message && !input.status) {
      // A message alone is a progress note in the status it already has ("half the nodes are
      // done"), as Statuspage posts them: an update of its own, nothing else moves. With the
      // status it already has, the message belonged to a step someone else took first (a
      // scheduler starting it at the same moment): it is not posted a second time.
      await repo.insertUpdate(tx, { maintenanceId: id, status: row.status, body: input.message, authorId: ctx.actor.id, createdAt: now });
    }
    await recordAudit(tx, ctx.actor, { action: 'maintenance.patch', targetType: 'maintenance', targetId: id, after: input }, now);
    return viewOf(tx, row);
  });
}

/**
 * There is no cancelled status (Statuspage has none either): a maintenance that will not happen
 * is deleted while it is still scheduled. One that has started is completed instead, so the
 * page's history keeps what was done to its components.
 */
export async function deleteMaintenance(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const row = await loadForUpdate(tx, id);
    if (isUnderWay(row.status) || row.status === 'completed') {
      throw new Errors.conflict(`A maintenance that is ${row.status} cannot be deleted; complete it instead`);
    }
    await repo.deleteMaintenance(tx, id);
    await recordAudit(tx, ctx.actor, { action: 'maintenance.delete', targetType: 'maintenance', targetId: id, before: row }, now);
  });
}
