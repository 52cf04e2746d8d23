import { firstUpdateSeconds, responseReport } from '../../domain/response-report.js';
import { Errors } from '../../core/errors.js';
import { usableInstant } from '../../http/usable-instant.js';
import type { SystemContext } from '../context.js';
import { listReportIncidents } from './reports.repo.js';
import type { ReportQueryInput, ResponseReportView } from './reports.schemas.js';

/** How the team responded to the public incidents detected in [from, to), against the response targets. */
export async function getResponseReport(ctx: SystemContext, query: ReportQueryInput): Promise<ResponseReportView> {
  const now = ctx.clock();
  const from = usableInstant(query.from, 'from');
  const to = usableInstant(query.to, 'to');
  if (from.getTime() >= to.getTime()) throw new Errors.invalid('from must be before to');
  const incidents = await listReportIncidents(ctx.db, from, to);
  const report = responseReport(incidents, now, ctx.targets);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    basis: 'detectedAt',
    targets: { firstUpdateSeconds: ctx.targets.firstUpdateSeconds },
    ...report,
    incidents: incidents.map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity,
      detectedAt: i.detectedAt.toISOString(),
      firstUpdateSeconds: firstUpdateSeconds(i),
    })),
  };
}
