import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { componentStatusLabel } from '../../domain/status.js';
import { IdParams } from '../../http/schema-helpers.js';
import { deleteSource, SetComponentSource, setSource, type ComponentSourceView } from '../../modules/component-sources/index.js';
import { displayTime, type DisplayTime } from '../../text/time.js';
import { checkbox, field, FormSchema, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { userError } from './user-error.js';

/** The "follow a third-party status page" form's text, as typed or as stored. */
export interface SourceValues {
  sourceUrl: string;
  vendorComponentId: string;
  openDraftOnDegrade: boolean;
}

/** What the component's page shows of the page it follows: the link, and how the last polls went. */
export interface SourceModel {
  url: string;
  vendorComponentId: string | null;
  vendorName: string | null;
  vendorStatus: string | null;
  lastPolled: DisplayTime | null;
  nextPoll: DisplayTime;
  failures: number;
  lastError: string | null;
}

export function sourceModel(source: ComponentSourceView | null, timeZone: string): SourceModel | null {
  if (!source) return null;
  return {
    url: source.url,
    vendorComponentId: source.vendorComponentId,
    vendorName: source.vendorName,
    vendorStatus: source.vendorStatus && componentStatusLabel(source.vendorStatus),
    lastPolled: source.lastPolledAt ? displayTime(new Date(source.lastPolledAt), timeZone) : null,
    nextPoll: displayTime(new Date(source.nextPollAt), timeZone),
    failures: source.failures,
    lastError: source.lastError,
  };
}

export const sourceValues = (source: ComponentSourceView | null): SourceValues => ({
  sourceUrl: source?.url ?? '',
  vendorComponentId: source?.vendorComponentId ?? '',
  openDraftOnDegrade: source?.openDraftOnDegrade ?? false,
});

/** Re-renders the component's page with the source form as given and what was wrong with it. */
export type SourceFormPage = (
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
  form: { values: SourceValues; errors: FieldErrors },
  status: number,
) => Promise<FastifyReply>;

const post = { schema: { hide: true, params: IdParams, body: FormSchema } };

/**
 * `/admin/components/:id/source`: the owner links a component to another status page, or stops
 * following it, through the admin API's verbs. Nothing public changes until a poll does.
 */
export function componentSourceScreenRoutes(app: FastifyInstance, kit: ConsoleKit, page: SourceFormPage, onLinked: () => void): void {
  app.post<{ Params: { id: string } }>('/components/:id/source', post, async (request, reply) => {
    kit.require(request, 'owner');
    const body = request.body as FormBody;
    const values = { sourceUrl: field(body, 'sourceUrl'), vendorComponentId: field(body, 'vendorComponentId'), openDraftOnDegrade: checkbox(body, 'openDraftOnDegrade') };
    const input = { url: values.sourceUrl.trim(), vendorComponentId: values.vendorComponentId.trim() || null, openDraftOnDegrade: values.openDraftOnDegrade };
    const errors = schemaErrors(SetComponentSource, input, (p) => (p === 'url' ? 'sourceUrl' : p));
    if (Object.keys(errors).length > 0) return page(request, reply, { values, errors }, 400);
    try {
      const { resolver, allowPrivateWebhooks } = app.notifications;
      await setSource(kit.ctx(request), request.params.id, input, { resolver, allowPrivate: allowPrivateWebhooks });
    } catch (error) {
      return page(request, reply, { values, errors: { sourceUrl: userError(error) } }, 400);
    }
    onLinked();
    return reply.redirect(`/admin/components/${request.params.id}/edit#source`, 303);
  });

  app.post<{ Params: { id: string } }>('/components/:id/source/delete', post, async (request, reply) => {
    kit.require(request, 'owner');
    await deleteSource(kit.ctx(request), request.params.id);
    return reply.redirect(`/admin/components/${request.params.id}/edit#source`, 303);
  });
}
