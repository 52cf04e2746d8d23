import type { DbOrTx } from '../../db/client.js';
import { groupBy } from '../../domain/group-by.js';
import { loadMovedUptime, loadRecentChanges, loadUptimeDays, type ComponentUptimeAt, type KeptUptime } from '../../modules/components/index.js';
import { utcDay } from '../../text/time.js';
import type { KeptUptimeByComponent } from './uptime-model.js';

type Days = KeptUptime['days'];
type Recent = KeptUptime['recent'];

interface Held {
  /** The component's uptime revision the days and the recent changes were read at. */
  revision: number;
  /** The first day read. */
  fromDay: string;
  days: Days;
  /** Its last change at or before `readAt`, then any after it. */
  recent: Recent;
  readAt: number;
  /** The days of the last window handed out, kept for the renders of the same day. */
  shown?: { fromDay: string; today: string; days: Days };
}

/** The held days inside [fromDay, today]: filtered once a day, not at every render (50 components are 4,500 days). */
function daysWithin(held: Held, fromDay: string, today: string): Days {
  if (held.shown?.fromDay !== fromDay || held.shown.today !== today) {
    held.shown = { fromDay, today, days: held.days.filter((d) => d.date >= fromDay && d.date <= today) };
  }
  return held.shown.days;
}

/**
 * Whether the recent changes read at `held.readAt` are still those at `now`: the last change at
 * or before `now` is still the one read, unless a change dated after `readAt` (by a process
 * whose clock runs ahead) has come due since. Read again when the clock went back, too.
 */
function recentHolds(held: Held, now: Date): boolean {
  const at = now.getTime();
  return at >= held.readAt && !held.recent.some((c) => c.at.getTime() > held.readAt && c.at.getTime() <= at);
}

/** The showcased components as a render reads them: their ids and uptime revisions. */
type Showcased = ReadonlyArray<{ id: string; uptimeRevision: number }>;

/** What moved, read once the components are known, and only if one of them did. */
async function movedAfter(db: DbOrTx, showcased: Promise<Showcased>, known: ReadonlyMap<string, number>, fromDay: string, now: Date): Promise<[ComponentUptimeAt[], Showcased]> {
  const components = await showcased;
  const moved = components.every((c) => known.get(c.id) === c.uptimeRevision) ? [] : await loadMovedUptime(db, known, fromDay, now);
  return [moved, components];
}

/**
 * The showcased components' kept uptime days and recent changes, held between renders of the
 * status page. A status change recorded for a component (by this process or another) moves its
 * uptime revision in the same transaction (recordStatusChange, the one writer of the history),
 * and only the components whose revision moved are read again: a write re-reads one
 * component's 90 days and last change, not every component's.
 *
 * One statement (loadMovedUptime) reads every showcased component but those held at their
 * current revision, and says which revision it read each at, from the same snapshot. On
 * PostgreSQL it runs alongside the render's read of the components (`alongside`), not after
 * it: a round trip saved, for a statement that finds nothing after most writes. The embedded
 * database answers one statement at a time, in this process, so there it runs after the
 * components, and only when one of them moved. What it read is taken for a component when its
 * revision is the one the render's components read says; when the two reads straddled a write,
 * that component is read again once the components are known: its days read after its
 * revision are at least as new as it, so a change that lands between them is at worst read
 * again at the next render, never missed.
 */
export class UptimeDaysCache {
  private readonly held = new Map<string, Held>();
  /** Components of the page whose days were read, by the first read or again once the components were known: for the tests. */
  readonly counts = { read: 0, readAgain: 0 };

  /** `alongside`: start the read of what moved with the components' read, before knowing whether anything did. */
  constructor(private readonly options: { alongside: boolean }) {}

  async load(db: DbOrTx, showcased: Promise<Showcased>, windowStart: Date, now: Date): Promise<KeptUptimeByComponent> {
    const fromDay = utcDay(windowStart);
    const today = utcDay(now);
    // What is held as this render starts: renders in other languages may run alongside, and
    // what they store meanwhile is not mixed into this one.
    const before = new Map(this.held);
    const known = new Map<string, number>();
    for (const [id, held] of before) if (held.fromDay <= fromDay && recentHolds(held, now)) known.set(id, held.revision);
    const [moved, components] = this.options.alongside
      ? await Promise.all([loadMovedUptime(db, known, fromDay, now), showcased])
      : await movedAfter(db, showcased, known, fromDay, now);
    const read = new Map(moved.map((m) => [m.componentId, m]));

    const entries = new Map<string, Held>();
    const again: string[] = [];
    for (const c of components) {
      const held = before.get(c.id);
      const fresh = read.get(c.id);
      if (fresh?.revision === c.uptimeRevision) {
        this.counts.read += 1;
        entries.set(c.id, { revision: c.uptimeRevision, fromDay, days: fresh.days, recent: fresh.recent, readAt: now.getTime() });
      } else if (!fresh && held && known.get(c.id) === c.uptimeRevision) {
        entries.set(c.id, held);
      } else {
        again.push(c.id);
      }
    }
    if (again.length > 0) {
      this.counts.readAgain += again.length;
      const [days, recent] = await Promise.all([loadUptimeDays(db, again, fromDay), loadRecentChanges(db, again, now)]);
      const daysOf = groupBy(days, (d) => d.componentId);
      const recentOf = groupBy(recent, (c) => c.componentId);
      const revisionOf = new Map(components.map((c) => [c.id, c.uptimeRevision]));
      for (const id of again) entries.set(id, { revision: revisionOf.get(id)!, fromDay, days: daysOf.get(id) ?? [], recent: recentOf.get(id) ?? [], readAt: now.getTime() });
    }
    for (const [id, entry] of entries) if (entry !== before.get(id)) this.held.set(id, entry);
    // A component gone from the page (deleted, or no longer showcased) leaves the cache.
    for (const id of this.held.keys()) if (!entries.has(id)) this.held.delete(id);
    // By component, as held: nothing of 50 components' 4,500 days is copied or grouped again.
    return new Map(
      components.map((c) => {
        const held = entries.get(c.id)!;
        return [c.id, { days: daysWithin(held, fromDay, today), recent: held.recent }];
      }),
    );
  }
}
