import type { FastifyInstance } from 'fastify';
import type { SiteNow } from '../../core/site.js';

/** What a page render reads besides the data: the page's name, its zone, and now. */
export type PageContext = Pick<SiteNow, 'pageName' | 'timeZone' | 'now'>;

export function pageContext(app: FastifyInstance): PageContext {
  return { pageName: app.site.pageName, timeZone: app.site.timeZone, now: app.now() };
}

/** Public routes need no token: no lock in the OpenAPI document. */
export const PUBLIC_DOC = { tags: ['public'], security: [] };

/** A public HTML page, for the OpenAPI document. */
export const PAGE_DOC = { ...PUBLIC_DOC, produces: ['text/html'] };
