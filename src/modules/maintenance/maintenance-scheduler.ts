import { dueTransition } from '../../domain/maintenance-window.js';
import { createPeriodicTask } from '../../jobs/periodic-task.js';
import { recordAudit } from '../audit/index.js';
import type { SystemContext } from '../context.js';
import { transitionMaintenance } from './maintenance-lifecycle.js';
import * as repo from './maintenance.repo.js';

export interface SchedulerRun {
  id: string;
  transition: 'start' | 'complete';
}

/** A tick's limit, so one tick after a long outage cannot hold the database for long. */
const MAX_PER_TICK = 100;

/** Servers started together spread their ticks instead of all claiming at the same instant. */
const TICK_JITTER = 0.1;

/**
 * Starts and completes the maintenances that are due now, each in its own transaction that
 * first claims the row (see `claimDue`): any number of processes may tick at once.
 */
export async function runDueTransitions(ctx: SystemContext): Promise<SchedulerRun[]> {
  const now = ctx.clock();
  const done: SchedulerRun[] = [];
  for (let i = 0; i < MAX_PER_TICK; i += 1) {
    const run = await ctx.db.transaction(async (tx) => {
      const row = await repo.claimDue(tx, now);
      if (!row) return null;
      const transition = dueTransition(row, now);
      // The query and the rule agree; should they ever not, leave the row rather than loop on it.
      if (!transition) return { id: row.id, transition: null };
      await transitionMaintenance(tx, ctx.site, row, transition === 'start' ? 'in_progress' : 'completed', { at: now, actorId: null });
      await recordAudit(tx, null, { action: `maintenance.auto_${transition}`, targetType: 'maintenance', targetId: row.id }, now);
      return { id: row.id, transition };
    });
    if (!run) break;
    if (!run.transition) break;
    done.push({ id: run.id, transition: run.transition });
  }
  return done;
}

export interface MaintenanceScheduler {
  /** Runs one tick now; resolves with what it did. Ticks never overlap within a process. */
  tick(): Promise<SchedulerRun[]>;
  stop(): Promise<void>;
}

export function createMaintenanceScheduler(
  ctx: SystemContext,
  options: {
    intervalMs: number;
    /** After a tick that changed something: public pages must show it. */
    onChange: () => void;
  },
): MaintenanceScheduler {
  const task = createPeriodicTask({
    name: 'maintenance scheduler',
    intervalMs: options.intervalMs,
    jitterRatio: TICK_JITTER,
    run: async () => {
      const runs = await runDueTransitions(ctx);
      if (runs.length > 0) options.onChange();
      return runs;
    },
    onError: (err) => ctx.log.error({ err }, 'maintenance scheduler tick failed'),
  });
  // Nobody calls a start: the timer runs from creation until `stop()`. With no interval, only `tick()` runs it.
  task.start();
  return { tick: () => task.runNow(), stop: () => task.stop() };
}
