import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SEVERITIES } from '../../domain/vocabulary.js';
import { IdParams } from '../../http/schema-helpers.js';
import { listComponents } from '../../modules/components/index.js';
import {
  CreateTemplate,
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
  type CreateTemplateInput,
  type IncidentTemplateView,
} from '../../modules/templates/index.js';
import { statusWords } from './board-model.js';
import { OPEN_STATUSES } from './declare.routes.js';
import { componentSelections, field, FormSchema, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { userError } from './user-error.js';

const route = { schema: { hide: true, params: IdParams } };
const post = { schema: { hide: true, params: IdParams, body: FormSchema } };

export interface TemplateValues {
  name: string;
  title: string;
  severity: string;
  status: string;
  message: string;
  /** The status chosen for each component, by id; operational means the template leaves it out. */
  components: Record<string, string>;
  /** The template's `updatedAt` when the form was opened: an edit from an older form is refused. */
  version: string;
}

const EMPTY: TemplateValues = { name: '', title: '', severity: 'P2', status: 'investigating', message: '', components: {}, version: '' };

const valuesOf = (body: FormBody): TemplateValues => ({
  name: field(body, 'name'),
  title: field(body, 'title'),
  severity: field(body, 'severity'),
  status: field(body, 'status'),
  message: field(body, 'message'),
  components: componentSelections(body),
  version: field(body, 'version'),
});

const valuesFrom = (t: IncidentTemplateView): TemplateValues => ({
  name: t.name,
  title: t.title,
  severity: t.severity,
  status: t.status,
  message: t.message,
  components: t.componentStatuses,
  version: t.updatedAt,
});

/** The API's template body from the form: the components not operational are the ones it names, as in the declare form. */
export function templateInput(values: TemplateValues): CreateTemplateInput {
  return {
    name: values.name.trim(),
    title: values.title.trim(),
    severity: values.severity,
    status: values.status,
    message: values.message,
    componentStatuses: Object.fromEntries(Object.entries(values.components).filter(([, status]) => status !== 'operational')),
  } as CreateTemplateInput;
}

const fieldOf = (property: string) => (property === 'componentStatuses' ? 'components' : property);

/** A name another template has is refused beside Name; other refusals above the form. */
const refusal = (error: unknown): FieldErrors => {
  const message = userError(error);
  return (error as { statusCode?: number }).statusCode === 409 ? { name: message } : { form: message };
};

/**
 * `/admin/templates`: the incident templates the declare form's Template picker offers.
 * Everyone reads them; responders and owners write them (the API's rule), through the same verbs.
 * Templates are not on the public pages, so writing one tells the render cache nothing.
 */
export const templateScreenRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  app.get('/templates', { schema: { hide: true } }, async (request, reply) => {
    const templates = await listTemplates(kit.ctx(request));
    return kit.page(request, reply, 'templates', { title: 'Templates', templates });
  });

  async function form(request: FastifyRequest, reply: FastifyReply, editing: string | null, values: TemplateValues, errors: FieldErrors = {}, status = 200) {
    const components = await listComponents(kit.ctx(request).db);
    return kit.page(
      request,
      reply,
      'template-form',
      {
        title: editing ? `Edit template: ${values.name}` : 'New template',
        editing,
        values,
        errors,
        severities: SEVERITIES,
        statuses: OPEN_STATUSES,
        components: components.map((c) => ({ id: c.id, name: c.name, chosen: values.components[c.id] ?? 'operational' })),
        statusWords,
      },
      status,
    );
  }

  app.get('/templates/new', { schema: { hide: true } }, async (request, reply) => {
    kit.require(request, 'responder');
    return form(request, reply, null, EMPTY);
  });

  app.post('/templates/new', { schema: { hide: true, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'responder');
    const values = valuesOf(request.body as FormBody);
    const input = templateInput(values);
    const errors = schemaErrors(CreateTemplate, input, fieldOf);
    if (Object.keys(errors).length > 0) return form(request, reply, null, values, errors, 400);
    try {
      await createTemplate(kit.ctx(request), input);
    } catch (error) {
      return form(request, reply, null, values, refusal(error), 409);
    }
    return reply.redirect('/admin/templates', 303);
  });

  app.get('/templates/:id', route, async (request, reply) => {
    kit.require(request, 'responder');
    return form(request, reply, request.params.id, valuesFrom(await getTemplate(kit.ctx(request), request.params.id)));
  });

  app.post('/templates/:id', post, async (request, reply) => {
    kit.require(request, 'responder');
    const values = valuesOf(request.body as FormBody);
    const input = templateInput(values);
    const errors = schemaErrors(CreateTemplate, input, fieldOf);
    if (Object.keys(errors).length > 0) return form(request, reply, request.params.id, values, errors, 400);
    const ctx = kit.ctx(request);
    // Templates carry no version for `If-Match`; their last change stands in for one, so that
    // two people editing the same runbook do not silently overwrite each other.
    const current = await getTemplate(ctx, request.params.id);
    if (values.version !== current.updatedAt) {
      const message = 'This template changed since you opened it. Nothing was saved; your text is kept below. Open the template again to see the other change.';
      return form(request, reply, request.params.id, values, { form: message }, 409);
    }
    try {
      await updateTemplate(ctx, request.params.id, input);
    } catch (error) {
      return form(request, reply, request.params.id, values, refusal(error), 409);
    }
    return reply.redirect('/admin/templates', 303);
  });

  // Deleting asks first, on a page of its own: a plain link and a form, no script needed.
  app.get('/templates/:id/delete', route, async (request, reply) => {
    kit.require(request, 'responder');
    const template = await getTemplate(kit.ctx(request), request.params.id);
    return kit.page(request, reply, 'confirm', {
      title: `Delete ${template.name}?`,
      question: `Delete the template “${template.name}”?`,
      consequence: 'Incidents opened from it keep their text; the Template picker no longer offers it.',
      action: `/admin/templates/${template.id}/delete`,
      button: 'Delete template',
      back: '/admin/templates',
    });
  });

  app.post('/templates/:id/delete', post, async (request, reply) => {
    kit.require(request, 'responder');
    await deleteTemplate(kit.ctx(request), request.params.id);
    return reply.redirect('/admin/templates', 303);
  });
};
