import type { FastifyInstance } from 'fastify';
import type { SiteNow } from '../../core/site.js';
import type { Language } from '../../domain/languages.js';
import { translator, type Translator } from '../../i18n/translator.js';

/** What a page render reads besides the data: the page's name, its zone, now, and its language. */
export type PageContext = Pick<SiteNow, 'pageName' | 'timeZone' | 'now'> & { i18n: Translator };

export function pageContext(app: FastifyInstance, lang: Language): PageContext {
  return { pageName: app.site.pageName, timeZone: app.site.timeZone, now: app.now(), i18n: translator(lang) };
}

/** Public routes need no token: no lock in the OpenAPI document. */
export const PUBLIC_DOC = { tags: ['public'], security: [] };

/** A public HTML page, for the OpenAPI document. */
export const PAGE_DOC = { ...PUBLIC_DOC, produces: ['text/html'] };
