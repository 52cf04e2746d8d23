import { componentGroups, components } from '../db/schema/index.js';
import { sql } from 'drizzle-orm';
import { createComponent, createGroup } from '../modules/components/index.js';
import type { ServiceContext } from '../modules/context.js';
import { acknowledgeIncident, addUpdate, createIncident, resolveIncident } from '../modules/incidents/index.js';

/**
 * Seeds demo components and incidents on an empty database, all or nothing; returns false if
 * it was not empty. The verbs' own transactions nest inside this one as savepoints.
 */
export async function seedDemoData(ctx: ServiceContext): Promise<boolean> {
  const now = ctx.clock();
  return ctx.db.transaction((tx) => seed({ ...ctx, db: tx }, now));
}

async function seed(ctx: ServiceContext, now: Date): Promise<boolean> {
  const { db } = ctx;
  const [existing] = await db
    .select({ n: sql<number>`(select count(*) from ${components}) + (select count(*) from ${componentGroups})` })
    .from(sql`(select 1) as one`);
  if (Number(existing?.n ?? 0) > 0) return false;

  // Each step happens at its own moment of the demo's story, not at the seeding's.
  const asOwner = (moment: Date): ServiceContext => ({ ...ctx, clock: () => moment });
  const platform = await createGroup(asOwner(now), { name: 'Platform', position: 0 });
  // Created months ago, so the demo's uptime bars have a history to show.
  const monthsAgo = asOwner(new Date(now.getTime() - 120 * 86_400_000));
  await createComponent(monthsAgo, { name: 'Website', description: 'Marketing site and docs', position: 0 });
  const api = await createComponent(monthsAgo, { name: 'API', description: 'Public REST API', groupId: platform.id, position: 1 });
  const dashboard = await createComponent(monthsAgo, { name: 'Dashboard', groupId: platform.id, position: 2 });
  await createComponent(monthsAgo, { name: 'Webhooks', groupId: platform.id, position: 3 });
  await createComponent(asOwner(new Date(now.getTime() - 30 * 86_400_000)), { name: 'Email notifications', position: 4 });

  const at = asOwner;
  const minutes = (n: number) => new Date(now.getTime() - n * 60_000);
  const days = (n: number) => new Date(now.getTime() - n * 86_400_000);

  // A resolved incident from three days ago, so the page shows history.
  const past = await createIncident(at(days(3)), {
    title: 'Slow dashboard loading',
    severity: 'P2',
    status: 'investigating',
    message: 'Some customers see the dashboard load slowly. We are looking into it.',
    componentStatuses: { [dashboard.id]: 'degraded_performance' },
  });
  await resolveIncident(at(new Date(days(3).getTime() + 40 * 60_000)), past.id, {
    message: 'A slow database query was fixed; dashboards load normally again.',
    summary: 'For 40 minutes the dashboard loaded slowly because of an unindexed query.',
    postmortemDueAt: days(1).toISOString(),
  });

  // An ongoing incident, so a first look shows what an outage looks like.
  const live = await createIncident(at(minutes(25)), {
    title: 'Elevated API error rates',
    severity: 'P1',
    status: 'investigating',
    message: 'We are seeing elevated error rates on the **API** and are investigating.',
    componentStatuses: { [api.id]: 'partial_outage' },
  });
  await acknowledgeIncident(at(minutes(23)), live.id);
  await addUpdate(at(minutes(10)), live.id, {
    status: 'identified',
    message: 'The cause is a failed database node. We are failing over to a replica.',
  });
  return true;
}
