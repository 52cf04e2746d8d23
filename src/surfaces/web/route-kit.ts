import type { FastifyInstance } from 'fastify';

/** What a page render reads besides the data: the page's name, its zone, and now. */
export interface PageContext {
  pageName: string;
  timeZone: string;
  now: Date;
}

export function pageContext(app: FastifyInstance): PageContext {
  return { pageName: app.site.pageName, timeZone: app.site.timeZone, now: app.now() };
}

/** Public routes need no token: no lock in the OpenAPI document. */
export const PUBLIC_DOC = { tags: ['public'], security: [] };
