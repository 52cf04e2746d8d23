import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminErrors } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { AuditPage, AuditQuery } from './audit.schemas.js';
import { listAudit } from './audit.service.js';

/** `/api/admin/audit`. Owners only: before and after hold users' addresses and every change made. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      config: { minRole: 'owner' },
      schema: {
        summary: 'The audit log: who changed what, when, newest first',
        operationId: 'listAuditLog',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditPage, ...adminErrors },
      },
    },
    async (req) => listAudit(requestContext(app, req), req.query),
  );
};
