import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ResponseTargets } from '../../domain/response-clocks.js';
import { responseReport } from '../../domain/response-report.js';
import { Errors } from '../../core/errors.js';
import { adminErrors } from '../../http/schema-helpers.js';
import { usableInstant } from '../../http/usable-instant.js';
import { listReportIncidents } from './reports.repo.js';
import { ReportQuery, ResponseReport } from './reports.schemas.js';

export const reportRoutes: FastifyPluginAsyncTypebox<{ targets: ResponseTargets }> = async (app, { targets }) => {
  app.get(
    '/reports/response',
    {
      // An unencoded `+01:00` in a query string arrives as ` 01:00` (a `+` means a space there):
      // give the offset its sign back rather than refuse what the caller plainly meant.
      preValidation: async (req) => {
        const query = req.query as Record<string, unknown>;
        for (const key of ['from', 'to']) {
          const value = query[key];
          if (typeof value === 'string') query[key] = value.replace(/ (\d{2}:\d{2})$/, '+$1');
        }
      },
      schema: { tags: ['reports'], querystring: ReportQuery, response: { 200: ResponseReport, ...adminErrors } },
    },
    async (req) => {
      const from = usableInstant(req.query.from, 'from');
      const to = usableInstant(req.query.to, 'to');
      if (from.getTime() >= to.getTime()) throw new Errors.invalid('from must be before to');
      const report = responseReport(await listReportIncidents(app.db, from, to), app.now(), targets);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        basis: 'detectedAt' as const,
        targets: { firstUpdateSeconds: targets.firstUpdateSeconds },
        ...report,
      };
    },
  );
};
