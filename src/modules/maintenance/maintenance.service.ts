import type { Db, DbOrTx, Tx } from '../../db/client.js';
import { isUnderWay, windowProblem } from '../../domain/maintenance-window.js';
import { Errors } from '../../core/errors.js';
import type { Actor } from '../../core/actor.js';
import { recordAudit } from '../audit/index.js';
import { lockComponents } from '../incidents/index.js';
import { toMaintenanceView } from './maintenance.presenter.js';
import * as repo from './maintenance.repo.js';
import type { CreateMaintenanceInput, MaintenanceView, PatchMaintenanceInput } from './maintenance.schemas.js';
import type { Site } from '../../core/site.js';
import { announceMaintenance } from './maintenance-announcement.js';
import { transitionMaintenance } from './maintenance-transitions.js';

export interface MaintenanceContext {
  db: Db;
  actor: Actor;
  now: Date;
  /** Names and links for the subscribers' announcements. */
  site: Site;
}

/** Dates passed schema validation, yet a few valid RFC 3339 strings (a leap second) are not instants. */
function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Errors.invalid(`Not a usable date and time: ${value}`);
  return date;
}

function assertWindow(scheduledFor: Date, scheduledUntil: Date) {
  const problem = windowProblem({ scheduledFor, scheduledUntil });
  if (problem) throw new Errors.invalid(problem);
}

const normalizeIds = (ids: string[] = []) => [...new Set(ids.map((id) => id.toLowerCase()))];

async function view(db: DbOrTx, row: repo.MaintenanceRow): Promise<MaintenanceView> {
  const [ids, updates] = await Promise.all([repo.componentIdsOf(db, [row.id]), repo.listUpdates(db, [row.id])]);
  return toMaintenanceView(row, ids.get(row.id)!, updates);
}

async function loadForUpdate(tx: Tx, id: string) {
  const row = await repo.findMaintenance(tx, id, { lock: true });
  if (!row) throw new Errors.notFound('Maintenance', id);
  return row;
}

export async function listMaintenances(db: Db, state: repo.ListState): Promise<MaintenanceView[]> {
  const rows = await repo.listMaintenances(db, state);
  const ids = rows.map((r) => r.id);
  const [componentIds, updates] = await Promise.all([repo.componentIdsOf(db, ids), repo.listUpdates(db, ids)]);
  return rows.map((row) => toMaintenanceView(row, componentIds.get(row.id)!, updates.filter((u) => u.maintenanceId === row.id)));
}

export async function getMaintenance(db: Db, id: string): Promise<MaintenanceView> {
  const row = await repo.findMaintenance(db, id);
  if (!row) throw new Errors.notFound('Maintenance', id);
  return view(db, row);
}

/**
 * Announces a maintenance. A window that has begun already is accepted (the scheduler starts
 * it on its next tick, if it starts itself); one that is over is refused.
 */
export async function createMaintenance(ctx: MaintenanceContext, input: CreateMaintenanceInput): Promise<MaintenanceView> {
  const scheduledFor = parseDate(input.scheduledFor);
  const scheduledUntil = parseDate(input.scheduledUntil);
  assertWindow(scheduledFor, scheduledUntil);
  if (scheduledUntil.getTime() <= ctx.now.getTime()) throw new Errors.invalid('scheduledUntil is in the past: that window is over');
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
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    await repo.setComponents(tx, row.id, componentIds);
    await repo.insertUpdate(tx, { maintenanceId: row.id, status: 'scheduled', body: input.body, authorId: ctx.actor.id, createdAt: ctx.now });
    await announceMaintenance(tx, row.id, 'maintenance.scheduled', ctx.site, ctx.now);
    await recordAudit(tx, ctx.actor, { action: 'maintenance.create', targetType: 'maintenance', targetId: row.id, after: input });
    return view(tx, row);
  });
}

/**
 * Edits and moves a maintenance forward. The window and the components can change while it is
 * scheduled; once under way only its end may move (overrunning work); a completed maintenance
 * keeps its record, only its wording can be corrected.
 */
export async function patchMaintenance(ctx: MaintenanceContext, id: string, input: PatchMaintenanceInput): Promise<MaintenanceView> {
  return ctx.db.transaction(async (tx) => {
    let row = await loadForUpdate(tx, id);
    const scheduledFor = input.scheduledFor ? parseDate(input.scheduledFor) : row.scheduledFor;
    const scheduledUntil = input.scheduledUntil ? parseDate(input.scheduledUntil) : row.scheduledUntil;
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
    if (input.scheduledUntil && staysScheduled && scheduledUntil.getTime() <= ctx.now.getTime()) {
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
    row = await repo.updateMaintenance(tx, id, defined, ctx.now);
    if (input.status && input.status !== row.status) {
      row = await transitionMaintenance(tx, row, input.status, { at: ctx.now, actorId: ctx.actor.id, message: input.message, site: ctx.site });
    } else if (input.message && !input.status) {
      // A message alone is a progress note in the status it already has ("half the nodes are
      // done"), as Statuspage posts them: an update of its own, nothing else moves. With the
      // status it already has, the message belonged to a step someone else took first (a
      // scheduler starting it at the same moment): it is not posted a second time.
      await repo.insertUpdate(tx, { maintenanceId: id, status: row.status, body: input.message, authorId: ctx.actor.id, createdAt: ctx.now });
    }
    await recordAudit(tx, ctx.actor, { action: 'maintenance.patch', targetType: 'maintenance', targetId: id, after: input });
    return view(tx, row);
  });
}

/**
 * There is no cancelled status (Statuspage has none either): a maintenance that will not happen
 * is deleted while it is still scheduled. One that has started is completed instead, so the
 * page's history keeps what was done to its components.
 */
export async function deleteMaintenance(ctx: MaintenanceContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await loadForUpdate(tx, id);
    if (isUnderWay(row.status) || row.status === 'completed') {
      throw new Errors.conflict(`A maintenance that is ${row.status} cannot be deleted; complete it instead`);
    }
    await repo.deleteMaintenance(tx, id);
    await recordAudit(tx, ctx.actor, { action: 'maintenance.delete', targetType: 'maintenance', targetId: id, before: row });
  });
}
