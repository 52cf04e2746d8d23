import { incidents, incidentUpdates } from '../src/db/schema/index.js';
import type { Tx } from '../src/db/client.js';
import { createComponent, createGroup } from '../src/modules/components/index.js';
import { recordStatusChange } from '../src/modules/components/uptime.repo.js';
import type { ServiceContext } from '../src/modules/context.js';
import { createIncident } from '../src/modules/incidents/index.js';
import type { ComponentStatus } from '../src/domain/vocabulary.js';

/** One size of page: showcased components (in groups of ten) and past incidents. */
export interface ScaleSize {
  components: number;
  incidents: number;
}

const DAY_MS = 86_400_000;
/** How far back the past incidents reach: further than the 90 days of bars. */
const HISTORY_DAYS = 400;
const INCIDENT_MINUTES = 30;
const BATCH = 500;

const paragraph = (n: number) =>
  `Requests to the service failed for some customers (${n}). We rolled back the deploy that caused it and are watching the error rates.`;

/**
 * Seeds a page of `size`: the components through the service verbs, the past incidents in
 * batches straight into their tables, each with the three updates (investigating, identified,
 * resolved) and the two status changes (down, then operational) a real one leaves, the
 * changes through the same repository function as a write, so the kept uptime days are
 * exactly what writes would have made them. Incident i hits component i mod n, and an
 * incident ends before the next one on its component begins.
 */
export async function seedScale(ctx: ServiceContext, size: ScaleSize): Promise<{ componentIds: string[] }> {
  const now = ctx.clock().getTime();
  const at = (ms: number): ServiceContext => ({ ...ctx, clock: () => new Date(ms) });
  const since = now - HISTORY_DAYS * DAY_MS;
  const componentIds: string[] = [];
  for (let g = 0; g * 10 < size.components; g += 1) {
    const group = await createGroup(at(since), { name: `Region ${g + 1}`, position: g });
    for (let i = g * 10; i < Math.min(size.components, (g + 1) * 10); i += 1) {
      const component = await createComponent(at(since), { name: `Service ${i + 1}`, description: `Component ${i + 1}`, groupId: group.id, position: i });
      componentIds.push(component.id);
    }
  }

  const spacing = (HISTORY_DAYS - 1) * DAY_MS / Math.max(1, size.incidents);
  const statuses: ComponentStatus[] = ['degraded_performance', 'partial_outage', 'major_outage'];
  for (let first = 0; first < size.incidents; first += BATCH) {
    const count = Math.min(BATCH, size.incidents - first);
    await ctx.db.transaction(async (tx: Tx) => {
      const rows = Array.from({ length: count }, (_, k) => {
        const i = first + k;
        const startedAt = new Date(since + DAY_MS + i * spacing);
        const resolvedAt = new Date(startedAt.getTime() + INCIDENT_MINUTES * 60_000);
        return {
          title: `Elevated errors on Service ${(i % size.components) + 1}`,
          severity: (['P1', 'P2', 'P3'] as const)[i % 3]!,
          status: 'resolved' as const,
          startedAt,
          detectedAt: startedAt,
          acknowledgedAt: new Date(startedAt.getTime() + 2 * 60_000),
          mitigatedAt: new Date(startedAt.getTime() + 20 * 60_000),
          resolvedAt,
          createdBy: ctx.actor.id,
          createdAt: startedAt,
          updatedAt: resolvedAt,
        };
      });
      const inserted = await tx.insert(incidents).values(rows).returning({ id: incidents.id, startedAt: incidents.startedAt, resolvedAt: incidents.resolvedAt });
      const updates = inserted.flatMap((incident, k) => {
        const i = first + k;
        const component = componentIds[i % componentIds.length]!;
        const down = statuses[i % statuses.length]!;
        const start = incident.startedAt.getTime();
        const update = (minutes: number, status: 'investigating' | 'identified' | 'resolved', componentStatus: ComponentStatus) => {
          const moment = new Date(start + minutes * 60_000);
          const body = paragraph(i);
          return {
            incidentId: incident.id,
            status,
            body,
            bodyHtml: `<p>${body}</p>`,
            componentStatuses: { [component]: componentStatus },
            kind: status === 'resolved' ? ('resolution' as const) : ('update' as const),
            summary: status === 'resolved' ? 'A bad deploy, rolled back.' : null,
            authorId: ctx.actor.id,
            createdAt: moment,
            publishedAt: moment,
          };
        };
        return [update(0, 'investigating', down), update(10, 'identified', down), update(INCIDENT_MINUTES, 'resolved', 'operational')];
      });
      await tx.insert(incidentUpdates).values(updates);
      for (const [k, incident] of inserted.entries()) {
        const i = first + k;
        const componentId = componentIds[i % componentIds.length]!;
        const down = statuses[i % statuses.length]!;
        await recordStatusChange(tx, { componentId, fromStatus: 'operational', toStatus: down, incidentId: incident.id, actorId: ctx.actor.id, changedAt: incident.startedAt });
        await recordStatusChange(tx, { componentId, fromStatus: down, toStatus: 'operational', incidentId: incident.id, actorId: ctx.actor.id, changedAt: incident.resolvedAt! });
      }
    });
  }

  // The incident the spike is about: open, on the first component, the page's banner.
  await createIncident(at(now - 10 * 60_000), {
    title: 'Checkout failing for some customers',
    severity: 'P1',
    status: 'investigating',
    message: 'Payments through **Service 1** fail for some customers. We are investigating.',
    componentStatuses: { [componentIds[0]!]: 'major_outage' },
  });
  return { componentIds };
}
