import type { DbOrTx } from '../../db/client.js';
import { loadRecentChanges, loadUptimeDays, type KeptUptime } from '../../modules/components/index.js';
import { utcDay } from '../../text/time.js';

type Days = KeptUptime['days'];

interface Held {
  /** The component's uptime revision the days were read at. */
  revision: number;
  /** The first day read. */
  fromDay: string;
  days: Days;
}

/**
 * The showcased components' kept uptime days, held between renders of the status page. A
 * status change recorded for a component (by this process or another) moves its uptime
 * revision in the same transaction, and only the components whose revision moved are read
 * again: a write re-reads one component's 90 rows, not every component's.
 *
 * The revisions must be read before the days (the page reads the components first): days read
 * after a revision are at least as new as it, so a change that lands between the two reads is
 * at worst read again at the next render, never missed.
 */
export class UptimeDaysCache {
  private readonly held = new Map<string, Held>();

  async load(db: DbOrTx, components: ReadonlyArray<{ id: string; uptimeRevision: number }>, windowStart: Date, now: Date): Promise<KeptUptime> {
    const fromDay = utcDay(windowStart);
    const today = utcDay(now);
    const stale = components.filter((c) => {
      const held = this.held.get(c.id);
      return !held || held.revision !== c.uptimeRevision || held.fromDay > fromDay;
    });
    const ids = components.map((c) => c.id);
    const [read, recent] = await Promise.all([
      loadUptimeDays(db, stale.map((c) => c.id), fromDay),
      loadRecentChanges(db, ids, now),
    ]);
    for (const c of stale) this.held.set(c.id, { revision: c.uptimeRevision, fromDay, days: read.filter((d) => d.componentId === c.id) });
    // A component gone from the page (deleted, or no longer showcased) leaves the cache.
    const current = new Set(ids);
    for (const id of this.held.keys()) if (!current.has(id)) this.held.delete(id);
    const days = components.flatMap((c) => this.held.get(c.id)!.days.filter((d) => d.date >= fromDay && d.date <= today));
    return { days, recent };
  }
}
