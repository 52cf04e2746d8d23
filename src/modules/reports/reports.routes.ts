import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminErrors } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { ReportQuery, ResponseReport } from './reports.schemas.js';
import { getResponseReport } from './reports.service.js';

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      schema: { summary: 'Response report: clocks, targets met and MTTx over a period', operationId: 'getResponseReport', tags: ['reports'], querystring: ReportQuery, response: { 200: ResponseReport, ...adminErrors } },
    },
    async (req) => getResponseReport(requestContext(app, req), req.query),
  );
};
