import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditActions, AuditQuery, listAudit, type AuditFilters } from '../../modules/audit/index.js';
import { auditRows } from './audit-model.js';
import { field, FormSchema, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { userError } from './user-error.js';

const FILTERS = ['actor', 'action', 'objectType', 'objectId', 'since', 'until'] as const;
type FilterValues = Record<(typeof FILTERS)[number], string>;

/** The filters as the API takes them: an empty field is no filter. */
function filtersOf(values: FilterValues, cursor: string): AuditFilters {
  const given = Object.entries(values).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]);
  return { ...Object.fromEntries(given), ...(cursor ? { cursor } : {}) } as AuditFilters;
}

/** `/admin/audit`: the audit log through the API's own read, with the same filters and cursor. */
export const auditConsoleRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  app.get('/audit', { schema: { hide: true, querystring: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    const query = request.query as FormBody;
    const values = Object.fromEntries(FILTERS.map((name) => [name, field(query, name)])) as FilterValues;
    const cursor = field(query, 'cursor');
    const filters = filtersOf(values, cursor);
    const ctx = kit.ctx(request);
    let errors: FieldErrors = schemaErrors(AuditQuery, filters, (p) => p);
    let page = { items: [] as Parameters<typeof auditRows>[0], nextCursor: null as string | null };
    if (Object.keys(errors).length === 0) {
      try {
        page = await listAudit(ctx, filters);
      } catch (error) {
        errors = { form: userError(error) };
      }
    }
    const older = page.nextCursor ? `/admin/audit?${new URLSearchParams({ ...filtersOf(values, page.nextCursor) } as Record<string, string>)}` : null;
    return kit.page(
      request,
      reply,
      'audit',
      {
        title: 'Audit log',
        values,
        errors,
        actions: await auditActions(ctx.db),
        rows: auditRows(page.items, ctx.site.timeZone),
        older,
        newest: cursor ? `/admin/audit?${new URLSearchParams(filtersOf(values, '') as Record<string, string>)}` : null,
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  });
};
