import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../../core/errors.js';
import { CHAT_PLATFORMS, DIGEST_MINUTES, STAFF_EVENTS } from '../../domain/notification-vocabulary.js';
import { IdParams } from '../../http/schema-helpers.js';
import { createChatChannel, CreateChatChannel, deleteChatChannel, listChatChannels, testChatChannel, updateChatChannel, UpdateChatChannel } from '../../modules/chat-channels/index.js';
import { listComponents } from '../../modules/components/index.js';
import { displayTime } from '../../text/time.js';
import { channelEditInput, channelEditValues, savedChannel, type ChannelEditValues } from './chat-channel-form.js';
import { staleMessage } from './component-form.js';
import { confirmPage } from './confirm.js';
import { field, fieldValues, FormSchema, sameVersion, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { isStale, userError } from './user-error.js';

export const PLATFORM_LABELS: Record<(typeof CHAT_PLATFORMS)[number], string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  discord: 'Discord',
  mattermost: 'Mattermost',
  google_chat: 'Google Chat',
};

export const STAFF_EVENT_LABELS: Record<(typeof STAFF_EVENTS)[number], string> = {
  reminder: 'Reminders that an update or acknowledgement is due',
  draft_opened: 'Drafts opened by Alertmanager',
  ack_overdue: 'Acknowledgement overdue',
  postmortem_overdue: 'Postmortem overdue',
  digest: 'Digest of open incidents',
};

interface ChannelValues {
  platform: string;
  name: string;
  url: string;
  audience: string;
  componentIds: string[];
  staffEvents: string[];
  digestMinutes: string;
}

const EMPTY: ChannelValues = { platform: 'slack', name: '', url: '', audience: 'subscriber', componentIds: [], staffEvents: [...STAFF_EVENTS], digestMinutes: String(DIGEST_MINUTES.default) };

const NOTICES: Record<string, string> = {
  added: 'The chat channel was added.',
  saved: 'The chat channel was saved.',
  deleted: 'The chat channel was deleted.',
  tested: 'A test message is on its way; its outcome shows below in a moment.',
};

/** The schema's complaints about the fields both forms share, in the form's words. */
function inFormWords(errors: FieldErrors): FieldErrors {
  if (errors.name) errors.name = 'Name is required, at most 100 characters.';
  if (errors.digestMinutes) errors.digestMinutes = `Every ${DIGEST_MINUTES.min} to ${DIGEST_MINUTES.max} minutes.`;
  return errors;
}

/** `/admin/chat-channels`: chat channels with their delivery state; add, edit, test and delete, through the API's verbs. */
export const chatChannelConsoleRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  async function page(request: FastifyRequest, reply: FastifyReply, model: { values?: ChannelValues; errors?: FieldErrors } = {}, status = 200) {
    const ctx = kit.ctx(request);
    const [channels, components] = await Promise.all([listChatChannels(ctx), listComponents(ctx.db)]);
    const names = new Map(components.map((c) => [c.id, c.name]));
    return kit.page(
      request,
      reply,
      'chat-channels',
      {
        title: 'Chat channels',
        channels: channels.map((c) => ({
          ...c,
          platformLabel: PLATFORM_LABELS[c.platform],
          created: displayTime(new Date(c.createdAt), ctx.site.timeZone),
          hears:
            c.audience === 'staff'
              ? c.staffEvents.map((e) => STAFF_EVENT_LABELS[e as keyof typeof STAFF_EVENT_LABELS] ?? e).join(', ') + (c.staffEvents.includes('digest') ? ` (every ${c.digestMinutes} min)` : '')
              : c.componentIds.length > 0
                ? `Public events of ${c.componentIds.map((id) => names.get(id) ?? id).join(', ')}`
                : 'Every public event',
        })),
        components: components.map((c) => ({ id: c.id, name: c.name })),
        platforms: CHAT_PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] })),
        staffEvents: STAFF_EVENTS.map((e) => ({ value: e, label: STAFF_EVENT_LABELS[e] })),
        digest: DIGEST_MINUTES,
        values: model.values ?? EMPTY,
        errors: model.errors ?? {},
        notice: NOTICES[field(request.query as FormBody, 'done')] ?? null,
      },
      status,
    );
  }

  app.get('/chat-channels', { schema: { hide: true, querystring: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    return page(request, reply);
  });

  app.post('/chat-channels', { schema: { hide: true, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    const body = request.body as FormBody;
    const values: ChannelValues = {
      platform: field(body, 'platform'),
      name: field(body, 'name'),
      url: field(body, 'url'),
      audience: field(body, 'audience'),
      componentIds: fieldValues(body, 'componentIds'),
      staffEvents: fieldValues(body, 'staffEvents'),
      digestMinutes: field(body, 'digestMinutes'),
    };
    const staff = values.audience === 'staff';
    const input = {
      platform: values.platform,
      name: values.name.trim(),
      url: values.url.trim(),
      audience: values.audience,
      // Each audience keeps what concerns it: a form switched between the two sends both.
      ...(staff ? { staffEvents: values.staffEvents, digestMinutes: Number(values.digestMinutes) } : { componentIds: values.componentIds }),
    };
    const errors = inFormWords(schemaErrors(CreateChatChannel, input));
    if (errors.platform) errors.platform = 'Choose a platform.';
    if (errors.url) errors.url = 'URL is required, at most 2,000 characters.';
    if (errors.audience) errors.audience = 'Choose who the channel is for.';
    if (Object.keys(errors).length > 0) return page(request, reply, { values, errors }, 400);
    try {
      const { resolver, allowPrivateWebhooks } = app.notifications;
      await createChatChannel(kit.ctx(request), input as Parameters<typeof createChatChannel>[1], { resolver, allowPrivate: allowPrivateWebhooks });
      return reply.redirect('/admin/chat-channels?done=added', 303);
    } catch (error) {
      return page(request, reply, { values, errors: { url: userError(error) } }, 400);
    }
  });

  app.post('/chat-channels/:id/test', { schema: { hide: true, params: IdParams, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    await testChatChannel(kit.ctx(request), request.params.id);
    app.notifications.worker.wake();
    return reply.redirect('/admin/chat-channels?done=tested', 303);
  });

  async function findChannel(request: FastifyRequest<{ Params: { id: string } }>) {
    const channel = (await listChatChannels(kit.ctx(request))).find((c) => c.id === request.params.id);
    if (!channel) throw new Errors.notFound('Chat channel', request.params.id);
    return channel;
  }

  // Name, components or staff events and digest interval: what the API's PATCH changes. The URL
  // and the audience stay as they were added (a new URL is a new channel).
  async function editPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, given?: ChannelEditValues, errors: FieldErrors = {}, status = 200) {
    const [channel, components] = await Promise.all([findChannel(request), listComponents(kit.ctx(request).db)]);
    return kit.page(
      request,
      reply,
      'chat-channel-edit',
      {
        title: `Edit ${channel.name}`,
        channel: { id: channel.id, name: channel.name, url: channel.url, audience: channel.audience, platformLabel: PLATFORM_LABELS[channel.platform] },
        values: given ?? savedChannel(channel),
        errors,
        components: components.map((c) => ({ id: c.id, name: c.name })),
        staffEvents: STAFF_EVENTS.map((e) => ({ value: e, label: STAFF_EVENT_LABELS[e] })),
        digest: DIGEST_MINUTES,
      },
      status,
    );
  }

  app.get('/chat-channels/:id/edit', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    kit.require(request, 'owner');
    return editPage(request, reply);
  });

  app.post('/chat-channels/:id/edit', { schema: { hide: true, params: IdParams, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    const values = channelEditValues(request.body as FormBody);
    const channel = await findChannel(request);
    const input = channelEditInput(channel.audience, values);
    const errors = inFormWords(schemaErrors(UpdateChatChannel, input));
    if (Object.keys(errors).length > 0) return editPage(request, reply, values, errors, 400);
    try {
      // The verb compares the form's version with the channel it has locked.
      const unchanged = sameVersion(values.version, (row: Parameters<typeof savedChannel>[0]) => savedChannel(row).version);
      await updateChatChannel(kit.ctx(request), channel.id, input as Parameters<typeof updateChatChannel>[2], unchanged);
    } catch (error) {
      if (!isStale(error)) return editPage(request, reply, values, { form: userError(error) }, 400);
      const current = await findChannel(request);
      return editPage(request, reply, { ...values, version: savedChannel(current).version }, { form: staleMessage('chat channel', `named “${current.name}”`) }, 409);
    }
    return reply.redirect('/admin/chat-channels?done=saved', 303);
  });

  app.get('/chat-channels/:id/delete', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    kit.require(request, 'owner');
    const channel = await findChannel(request);
    return confirmPage(kit, request, reply, {
      title: 'Delete chat channel',
      question: `Delete the ${PLATFORM_LABELS[channel.platform]} channel “${channel.name}”? Its pending messages are dropped.`,
      action: `/admin/chat-channels/${channel.id}/delete`,
      button: 'Delete chat channel',
      back: '/admin/chat-channels',
    });
  });

  app.post('/chat-channels/:id/delete', { schema: { hide: true, params: IdParams, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    await deleteChatChannel(kit.ctx(request), request.params.id);
    return reply.redirect('/admin/chat-channels?done=deleted', 303);
  });
};
