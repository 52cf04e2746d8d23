import type { Db } from '../db/client.js';
import { componentGroups, components } from '../db/schema/index.js';
import { sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.js';
import { createComponent, createGroup } from '../modules/components/index.js';
import type { ServiceContext } from '../modules/context.js';
import { acknowledgeIncident, addUpdate, createIncident, resolveIncident } from '../modules/incidents/index.js';
import { DEFAULT_RESPONSE_TARGETS } from '../domain/response-clocks.js';
import type { Site } from '../core/site.js';

/**
 * Seeds demo components and incidents on an empty database, all or nothing; returns false if
 * it was not empty. The verbs' own transactions nest inside this one as savepoints.
 */
export async function seedDemoData(database: Db, actor: Actor, site: Site, now = new Date()): Promise<boolean> {
  return database.transaction((tx) => seed(tx, actor, site, now));
}

async function seed(db: Db, actor: Actor, site: Site, now: Date): Promise<boolean> {
  const [existing] = await db
    .select({ n: sql<number>`(select count(*) from ${components}) + (select count(*) from ${componentGroups})` })
    .from(sql`(select 1) as one`);
  if (Number(existing?.n ?? 0) > 0) return false;

  // The owner acting at `at`; the seed logs nothing of its own.
  const asOwner = (at: Date): ServiceContext => ({
    db,
    clock: () => at,
    site,
    actor,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    targets: DEFAULT_RESPONSE_TARGETS,
  });
  const platform = await createGroup(asOwner(now), { name: 'Platform', position: 0 });
  // Created months ago, so the demo's uptime bars have a history to show.
  const monthsAgo = asOwner(new Date(now.getTime() - 120 * 86_400_000));
  await createComponent(monthsAgo, { name: 'Website', description: 'Marketing site and docs', position: 0 });
  const api = await createComponent(monthsAgo, { name: 'API', description: 'Public REST API', groupId: platform.id, position: 1 });
  const dashboard = await createComponent(monthsAgo, { name: 'Dashboard', groupId: platform.id, position: 2 });
  await createComponent(monthsAgo, { name: 'Webhooks', groupId: platform.id, position: 3 });
  await createComponent(asOwner(new Date(now.getTime() - 30 * 86_400_000)), { name: 'Email notifications', position: 4 });

  const ctx = (at: Date) => ({ db, actor, now: at, targets: DEFAULT_RESPONSE_TARGETS, site });
  const minutes = (n: number) => new Date(now.getTime() - n * 60_000);
  const days = (n: number) => new Date(now.getTime() - n * 86_400_000);

  // A resolved incident from three days ago, so the page shows history.
  const past = await createIncident(ctx(days(3)), {
    title: 'Slow dashboard loading',
    severity: 'P2',
    status: 'investigating',
    message: 'Some customers see the dashboard load slowly. We are looking into it.',
    componentStatuses: { [dashboard.id]: 'degraded_performance' },
  });
  await resolveIncident(ctx(new Date(days(3).getTime() + 40 * 60_000)), past.id, {
    message: 'A slow database query was fixed; dashboards load normally again.',
    summary: 'For 40 minutes the dashboard loaded slowly because of an unindexed query.',
    postmortemDueAt: days(1).toISOString(),
  });

  // An ongoing incident, so a first look shows what an outage looks like.
  const live = await createIncident(ctx(minutes(25)), {
    title: 'Elevated API error rates',
    severity: 'P1',
    status: 'investigating',
    message: 'We are seeing elevated error rates on the **API** and are investigating.',
    componentStatuses: { [api.id]: 'partial_outage' },
  });
  await acknowledgeIncident(ctx(minutes(23)), live.id);
  await addUpdate(ctx(minutes(10)), live.id, {
    status: 'identified',
    message: 'The cause is a failed database node. We are failing over to a replica.',
  });
  return true;
}
