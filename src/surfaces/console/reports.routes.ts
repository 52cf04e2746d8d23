import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getResponseReport } from '../../modules/reports/index.js';
import type { ConsoleKit } from './kit.js';
import { reportModel, reportRange } from './reports-model.js';
import { userError } from './user-error.js';

const Query = Type.Object({ from: Type.Optional(Type.String({ maxLength: 40 })), to: Type.Optional(Type.String({ maxLength: 40 })) });

/** `/admin/reports`: the response report (`GET /api/admin/reports/response`) for a date range, with charts. */
export const reportsRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  app.get('/reports', { schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const ctx = kit.ctx(request);
    const range = reportRange(request.query, ctx.clock());
    let errors = range.errors;
    let model = null;
    if (range.query) {
      try {
        model = reportModel(await getResponseReport(ctx, range.query));
      } catch (error) {
        errors = { form: userError(error) };
      }
    }
    return kit.page(request, reply, 'reports', { title: 'Reports', range, errors, model }, model ? 200 : 400);
  });
};
