import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isUuid } from '../../core/ids.js';
import { fillPlaceholders, templateValues } from '../../domain/template-text.js';
import { SEVERITIES } from '../../domain/vocabulary.js';
import { listComponents } from '../../modules/components/index.js';
import type { ServiceContext } from '../../modules/context.js';
import { createIncident, CreateIncident, type CreateIncidentInput } from '../../modules/incidents/index.js';
import { notificationReach } from '../../modules/subscribers/index.js';
import { listTemplates, openFromTemplate } from '../../modules/templates/index.js';
import { MarkdownRejected, renderMarkdown } from '../../text/markdown.js';
import { reachText, statusWords } from './board-model.js';
import { checkbox, componentSelections, field, FormSchema, optionalText, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { userError } from './user-error.js';

export const OPEN_STATUSES = ['investigating', 'identified', 'monitoring'] as const;

export interface DeclareValues {
  template: string;
  title: string;
  severity: string;
  status: string;
  message: string;
  /** The status chosen for each component, by id. */
  components: Record<string, string>;
  notify: boolean;
  startedAt: string;
  detectedAt: string;
}

const EMPTY: DeclareValues = {
  template: '',
  title: '',
  severity: 'P2',
  status: 'investigating',
  message: '',
  components: {},
  notify: true,
  startedAt: '',
  detectedAt: '',
};

/**
 * The templates as the form fills them: text with `{{component}}` and `{{severity}}` filled in.
 * `{{component}}` names the template's components, after `affected` (an open incident's own,
 * for the composer of its next update).
 */
export async function filledTemplates(ctx: ServiceContext, names: Map<string, string>, affected: readonly string[] = []) {
  return (await listTemplates(ctx)).map((t) => {
    const componentStatuses = Object.fromEntries(Object.entries(t.componentStatuses).filter(([id]) => names.has(id)));
    const named = [...new Set([...affected, ...Object.keys(componentStatuses)])].filter((id) => names.has(id));
    const values = templateValues({ componentNames: named.map((id) => names.get(id)!), severity: t.severity });
    return {
      id: t.id,
      name: t.name,
      title: fillPlaceholders(t.title, values).slice(0, 200),
      severity: t.severity,
      status: t.status,
      message: fillPlaceholders(t.message, values),
      componentStatuses,
    };
  });
}

function valuesOf(body: FormBody): DeclareValues {
  return {
    // Only an id can name a template; anything else is no template.
    template: isUuid(field(body, 'template')) ? field(body, 'template') : '',
    title: field(body, 'title'),
    severity: field(body, 'severity'),
    status: field(body, 'status'),
    message: field(body, 'message'),
    components: componentSelections(body),
    notify: checkbox(body, 'notify'),
    startedAt: field(body, 'startedAt'),
    detectedAt: field(body, 'detectedAt'),
  };
}

/** The API's create body from the form: the components that are not operational are the affected ones. */
export function createInput(values: DeclareValues, draft: boolean): CreateIncidentInput {
  const affected = Object.entries(values.components).filter(([, status]) => status !== 'operational');
  const input: Record<string, unknown> = {
    title: values.title.trim(),
    severity: values.severity,
    status: values.status,
    message: values.message,
    componentStatuses: Object.fromEntries(affected),
    notify: values.notify,
    draft,
  };
  const startedAt = optionalText(values.startedAt);
  const detectedAt = optionalText(values.detectedAt);
  if (startedAt) input.startedAt = startedAt;
  if (detectedAt) input.detectedAt = detectedAt;
  return input as CreateIncidentInput;
}

/** `/admin/incidents/new`: declare an incident in one screen. */
export const declareRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  async function form(request: FastifyRequest, reply: FastifyReply, values: DeclareValues, errors: FieldErrors = {}, status = 200) {
    const ctx = kit.ctx(request);
    const [components, reach] = await Promise.all([listComponents(ctx.db), notificationReach(ctx.db)]);
    const names = new Map(components.map((c) => [c.id, c.name]));
    const templates = await filledTemplates(ctx, names);
    return kit.page(
      request,
      reply,
      'declare',
      {
        title: 'Declare incident',
        values,
        errors,
        templates,
        severities: SEVERITIES,
        statuses: OPEN_STATUSES,
        components: components.map((c) => ({ id: c.id, name: c.name, chosen: values.components[c.id] ?? 'operational' })),
        statusWords,
        reach: reachText(reach),
      },
      status,
    );
  }

  app.get('/incidents/new', { schema: { hide: true } }, async (request, reply) => {
    kit.require(request, 'responder');
    return form(request, reply, EMPTY);
  });

  app.post('/incidents/new', { schema: { hide: true, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'responder');
    const body = request.body as FormBody;
    const values = valuesOf(body);
    const action = field(body, 'action');
    if (action === 'use-template') return form(request, reply, await withTemplate(kit.ctx(request), values));

    const input = createInput(values, action === 'draft');
    const errors = schemaErrors(CreateIncident, input, (p) => (p === 'componentStatuses' ? 'components' : p));
    if (Object.keys(errors).length > 0) return form(request, reply, values, errors, 400);
    try {
      const ctx = kit.ctx(request);
      const created = values.template ? await openFromTemplate(ctx, { ...input, templateId: values.template }) : await createIncident(ctx, input);
      kit.publicChanged();
      return reply.redirect(`/admin/incidents/${created.id}`, 303);
    } catch (error) {
      const message = userError(error);
      return form(request, reply, values, { form: message }, 400);
    }
  });

  /** The chosen template's fields, the rest of what was typed kept: the form without JavaScript. */
  async function withTemplate(ctx: ServiceContext, values: DeclareValues): Promise<DeclareValues> {
    const components = await listComponents(ctx.db);
    const template = (await filledTemplates(ctx, new Map(components.map((c) => [c.id, c.name])))).find((t) => t.id === values.template);
    if (!template) return values;
    return {
      ...values,
      title: template.title,
      severity: template.severity,
      status: template.status,
      message: template.message,
      components: Object.fromEntries(components.map((c) => [c.id, template.componentStatuses[c.id] ?? 'operational'])),
    };
  }

  // The Preview tab: the message as the page will show it, by the page's own sanitising renderer.
  app.post(
    '/preview',
    { schema: { hide: true, body: FormSchema, response: { 200: Type.Object({ html: Type.String() }), 400: Type.Object({ error: Type.String(), message: Type.String() }) } } },
    async (request, reply) => {
      try {
        return { html: renderMarkdown(field(request.body as FormBody, 'message')) };
      } catch (error) {
        if (error instanceof MarkdownRejected) return reply.code(400).send({ error: 'HG_INVALID', message: error.message });
        throw error;
      }
    },
  );
};

