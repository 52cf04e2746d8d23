import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponse } from '../../http/schema-helpers.js';
import type { Language } from '../../domain/languages.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import { languageLocals, pageLanguage } from '../../i18n/page-language.js';
import { translator } from '../../i18n/translator.js';
import { TOKEN_PATTERN } from '../../notifications/subscriber-tokens.js';
import { systemContext } from '../context.js';
import * as service from './subscribe.service.js';
import { SubscribeAccepted, SubscribeBody, TokenParams } from './subscribers.schemas.js';
import { currentSettings } from '../settings/index.js';

const TOKEN = new RegExp(TOKEN_PATTERN);

/**
 * The public subscription pages: subscribe (form or JSON), confirm, unsubscribe. They work
 * without JavaScript. Nothing here is cached: each answer depends on a token or changes data.
 */
export const subscribeRoutes: FastifyPluginAsyncTypebox<{ rateLimit: number }> = async (app, { rateLimit }) => {
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // RFC 8058 says mail clients SHOULD post one-click unsubscribes as multipart/form-data; the
  // body only repeats `List-Unsubscribe=One-Click`, so it is read and set aside.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, _body, done) => done(null, {}));
  const doc = { tags: ['public'], security: [] };
  // Nobody signs in here: these verbs act for no one.
  const ctx = () => systemContext(app);

  /** The reader's language: the form's hidden field, else `?lang=` of the link, else the page's. */
  const languageOf = (req: FastifyRequest): Language =>
    pageLanguage((req.body as { lang?: unknown } | undefined)?.lang ?? (req.query as { lang?: unknown } | undefined)?.lang, app.defaultLanguage());

  interface PageText {
    heading: MessageKey;
    message: MessageKey;
    values?: Record<string, string>;
    unsubscribeAction?: string;
  }

  async function page(req: FastifyRequest, reply: FastifyReply, status: number, text: PageText) {
    // Language links lead home: a token page's own URL must not be repeated in links (nor used twice).
    const locals = languageLocals('/', languageOf(req), app.defaultLanguage());
    const action = text.unsubscribeAction && locals.href(text.unsubscribeAction);
    const model = { heading: locals.t(text.heading), message: locals.t(text.message, text.values), unsubscribeAction: action };
    const html = await app.view('pages/subscription', { ...model, ...locals, pageName: app.site.pageName, brand: currentSettings(app) });
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  }

  /** A link token must not leak to another site through the Referer of a link on its page. */
  function tokenPage(reply: FastifyReply) {
    return reply.header('referrer-policy', 'no-referrer');
  }

  const wantsJson = (req: FastifyRequest) => (req.headers['content-type'] ?? '').startsWith('application/json');

  // Someone who types the address gets the form.
  app.get('/subscribe', { schema: { ...doc, hide: true } }, (_req, reply) => reply.redirect('/#subscribe'));

  app.post(
    '/subscribe',
    {
      config: { rateLimit: { max: rateLimit, timeWindow: '1 hour' } },
      schema: { summary: 'Subscribe by email (double opt-in)', operationId: 'subscribe', ...doc, body: SubscribeBody, response: { 202: SubscribeAccepted, 400: ErrorResponse, 429: ErrorResponse } },
    },
    async (req, reply) => {
      const { email, componentIds } = req.body;
      const lang = languageOf(req);
      await service.subscribe(ctx(), { email, componentIds: typeof componentIds === 'string' ? [componentIds] : componentIds, language: lang }, app.notifications.tokens);
      app.notifications.worker.wake();
      // The same answer whatever the address's state: the form tells nobody who is subscribed.
      if (wantsJson(req)) return reply.code(202).send({ message: translator(lang).t('subscription.checkInboxText') });
      return page(req, reply, 202, { heading: 'subscription.checkInbox', message: 'subscription.checkInboxText' });
    },
  );

  app.get('/subscribe/confirm/:token', { schema: { summary: 'Confirm an email subscription', operationId: 'confirmSubscription', ...doc, produces: ['text/html'], params: TokenParams } }, async (req, reply) => {
    tokenPage(reply);
    const confirmed = TOKEN.test(req.params.token) && (await service.confirm(ctx(), req.params.token));
    if (!confirmed) {
      return page(req, reply, 404, { heading: 'subscription.badLink', message: 'subscription.badLinkText' });
    }
    return page(req, reply, 200, { heading: 'subscription.confirmed', message: 'subscription.confirmedText' });
  });

  // GET only asks: mail scanners open links on their own, and must not unsubscribe anyone.
  app.get('/unsubscribe/:token', { schema: { summary: 'The unsubscribe page', operationId: 'showUnsubscribe', ...doc, produces: ['text/html'], params: TokenParams } }, async (req, reply) => {
    tokenPage(reply);
    const subscriber = TOKEN.test(req.params.token) ? await service.findByUnsubscribeToken(ctx(), req.params.token) : undefined;
    if (!subscriber) {
      return page(req, reply, 404, { heading: 'subscription.notSubscribed', message: 'subscription.notSubscribedText' });
    }
    return page(req, reply, 200, {
      heading: 'subscription.unsubscribeAsk',
      message: 'subscription.unsubscribeAskText',
      values: { address: subscriber.label },
      unsubscribeAction: `/unsubscribe/${req.params.token}`,
    });
  });

  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` here; the confirm page's form does too.
  app.post('/unsubscribe/:token', { schema: { summary: 'Unsubscribe (one click, RFC 8058)', operationId: 'unsubscribe', ...doc, produces: ['text/html'], params: TokenParams } }, async (req, reply) => {
    tokenPage(reply);
    if (TOKEN.test(req.params.token)) await service.unsubscribe(ctx(), req.params.token);
    return page(req, reply, 200, { heading: 'subscription.unsubscribed', message: 'subscription.unsubscribedText' });
  });
};
