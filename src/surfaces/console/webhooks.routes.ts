import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../../core/errors.js';
import { IdParams } from '../../http/schema-helpers.js';
import { createWebhook, CreateWebhook, deleteWebhook, listWebhooks } from '../../modules/subscribers/index.js';

import { displayTime } from '../../text/time.js';
import { confirmPage } from './confirm.js';
import { FlashParams, flashOwner } from './secret-flash.js';
import { field, FormSchema, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { userError } from './user-error.js';

interface WebhookValues {
  url: string;
  description: string;
}

const NOTICES: Record<string, string> = { deleted: 'The webhook was deleted.' };
const GONE = 'That secret was shown once and is not kept. If it was not copied, delete the webhook and add it again.';

/** `/admin/webhooks`: webhook subscribers with their delivery state; add and delete, through the API's verbs. */
export const webhookConsoleRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    model: { values?: WebhookValues; errors?: FieldErrors; created?: { url: string; secret: string }; notice?: string } = {},
    status = 200,
  ) {
    const ctx = kit.ctx(request);
    const webhooks = (await listWebhooks(ctx)).map((w) => ({ ...w, created: displayTime(new Date(w.createdAt), ctx.site.timeZone) }));
    return kit.page(
      request,
      reply,
      'webhooks',
      {
        title: 'Webhooks',
        webhooks,
        values: model.values ?? { url: '', description: '' },
        errors: model.errors ?? {},
        created: model.created ?? null,
        notice: model.notice ?? NOTICES[field(request.query as FormBody, 'done')] ?? null,
      },
      status,
    );
  }

  app.get('/webhooks', { schema: { hide: true, querystring: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    return page(request, reply);
  });

  app.post('/webhooks', { schema: { hide: true, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    const body = request.body as FormBody;
    const values = { url: field(body, 'url'), description: field(body, 'description') };
    const input = { url: values.url.trim(), ...(values.description.trim() ? { description: values.description.trim() } : {}) };
    const errors = schemaErrors(CreateWebhook, input, (p) => p);
    if (errors.url) errors.url = 'URL is required, at most 2,000 characters.';
    if (errors.description) errors.description = 'Description is at most 200 characters.';
    if (Object.keys(errors).length > 0) return page(request, reply, { values, errors }, 400);
    try {
      const { resolver, allowPrivateWebhooks } = app.notifications;
      const created = await createWebhook(kit.ctx(request), input, { resolver, allowPrivate: allowPrivateWebhooks }, app.notifications.tokens);
      // Post/Redirect/Get: a reload shows the page below again, never adds a second webhook.
      const flash = kit.secrets.put(flashOwner(request.actor), { kind: 'webhook', url: created.url, secret: created.secret });
      return reply.redirect(`/admin/webhooks/created/${flash}`, 303);
    } catch (error) {
      return page(request, reply, { values, errors: { url: userError(error) } }, 400);
    }
  });

  // The secret is on this page's first showing alone: the list never shows it, nor a reload.
  app.get('/webhooks/created/:flash', { schema: { hide: true, params: FlashParams } }, async (request, reply) => {
    kit.require(request, 'owner');
    const shown = kit.secrets.take(flashOwner(request.actor), request.params.flash, (v) => v.kind === 'webhook');
    if (shown?.kind !== 'webhook') return page(request, reply, { notice: GONE });
    return page(request, reply, { created: { url: shown.url, secret: shown.secret } });
  });

  app.get('/webhooks/:id/delete', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    kit.require(request, 'owner');
    const webhook = (await listWebhooks(kit.ctx(request))).find((w) => w.id === request.params.id);
    if (!webhook) throw new Errors.notFound('Webhook', request.params.id);
    return confirmPage(kit, request, reply, {
      title: 'Delete webhook',
      question: `Delete the webhook to ${webhook.url}? Its pending deliveries are dropped.`,
      action: `/admin/webhooks/${webhook.id}/delete`,
      button: 'Delete webhook',
      back: '/admin/webhooks',
    });
  });

  app.post('/webhooks/:id/delete', { schema: { hide: true, params: IdParams, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    await deleteWebhook(kit.ctx(request), request.params.id);
    return reply.redirect('/admin/webhooks?done=deleted', 303);
  });
};
