import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdParams } from '../../http/schema-helpers.js';
import { isUuid } from '../../core/ids.js';
import { statusLabel } from '../../domain/incident-lifecycle.js';
import { listComponents } from '../../modules/components/index.js';
import {
  acknowledgeIncident,
  AddUpdate,
  addUpdate,
  getIncident,
  mitigateIncident,
  PatchIncident,
  patchIncident,
  publishIncident,
  Resolve,
  resolveIncident,
  type AddUpdateInput,
  type IncidentDetailView,
  type PatchIncidentInput,
  type ResolveInput,
} from '../../modules/incidents/index.js';
import { notificationReach } from '../../modules/subscribers/index.js';
import { listUsers } from '../../modules/users/index.js';
import { incidentClocks, reachText, statusWords } from './board-model.js';
import { filledTemplates, OPEN_STATUSES } from './declare.routes.js';
import { composerWithTemplate, nextStage, rolePickers, ROLES, stageTemplates, timeline, type ComposerValues } from './incident-model.js';
import { checkbox, componentSelections, field, FormSchema, optionalText, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { isStale, userError } from './user-error.js';

const route = { schema: { hide: true, params: IdParams } };
const post = { schema: { hide: true, params: IdParams, body: FormSchema } };

interface ResolveValues {
  message: string;
  summary: string;
  postmortemDueAt: string;
  components: Record<string, string>;
  notify: boolean;
}

/** A form's version field: the incident version the form was opened on (the API's `If-Match`). */
function versionOf(body: FormBody): number | null {
  const value = field(body, 'version');
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/**
 * The components an update names: those the incident touched, always (carried over), and any
 * other whose status the form changed from what it is now.
 */
function chosenStatuses(selected: Record<string, string>, incident: IncidentDetailView, current: Map<string, string>) {
  return Object.fromEntries(Object.entries(selected).filter(([id, status]) => id in incident.components || current.get(id) !== status));
}

/** `YYYY-MM-DD` from a date field: due by the end of that day, UTC. Any other text goes to the schema as it is. */
function dueDate(value: string): string | undefined {
  const text = optionalText(value);
  return text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59Z` : text;
}

/** `/admin/incidents/:id`: one incident, its clocks, and the composer for its next update. */
export const incidentRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  async function load(request: FastifyRequest, id: string) {
    const ctx = kit.ctx(request);
    const [incident, components, reach] = await Promise.all([getIncident(ctx, id), listComponents(ctx.db), notificationReach(ctx.db)]);
    return { ctx, incident, components, reach: reachText(reach) };
  }

  async function view(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    composer?: { values?: ComposerValues; errors: FieldErrors },
    status = 200,
  ) {
    const { ctx, incident, components, reach } = await load(request, id);
    const names = new Map(components.map((c) => [c.id, c.name]));
    const [users, templates] = await Promise.all([listUsers(ctx), filledTemplates(ctx, names, Object.keys(incident.components))]);
    const values: ComposerValues = composer?.values ?? {
      template: '',
      status: nextStage(incident.status),
      message: '',
      components: Object.fromEntries(components.map((c) => [c.id, incident.components[c.id] ?? c.status])),
      notify: true,
    };
    return kit.page(
      request,
      reply,
      'incident',
      {
        title: incident.title,
        incident,
        clocks: incidentClocks(incident, ctx.clock()),
        timeline: timeline(incident, ctx.site.timeZone),
        publicUrl: `${ctx.site.publicUrl}/incidents/${incident.id}`,
        components: components.map((c) => ({ id: c.id, name: c.name, chosen: values.components[c.id] ?? c.status, touched: c.id in incident.components })),
        statuses: OPEN_STATUSES.filter((s) => OPEN_STATUSES.indexOf(s) >= OPEN_STATUSES.indexOf(incident.status as (typeof OPEN_STATUSES)[number])),
        statusWords,
        statusLabel,
        values,
        errors: composer?.errors ?? {},
        reach,
        roles: rolePickers(incident.roles, users),
        users: users.map((u) => ({ id: u.id, name: u.name })),
        templates,
        stageTemplates: stageTemplates(templates, values.status),
      },
      status,
    );
  }

  app.get('/incidents/:id', route, async (request, reply) => view(request, reply, request.params.id));

  /** A stamp or publication: the verb, then back to the incident. A refusal is shown on the incident. */
  const action = (verb: (request: FastifyRequest<{ Params: { id: string } }>) => Promise<unknown>, changesPublicPages: boolean) =>
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      kit.require(request, 'responder');
      try {
        await verb(request);
      } catch (error) {
        return view(request, reply, request.params.id, { errors: { form: userError(error) } }, 409);
      }
      if (changesPublicPages) kit.publicChanged();
      return reply.redirect(`/admin/incidents/${request.params.id}`, 303);
    };

  app.post('/incidents/:id/acknowledge', post, action((r) => acknowledgeIncident(kit.ctx(r), r.params.id), false));
  app.post('/incidents/:id/mitigate', post, action((r) => mitigateIncident(kit.ctx(r), r.params.id), false));
  app.post('/incidents/:id/publish', post, action((r) => publishIncident(kit.ctx(r), r.params.id, {}), true));

  app.post('/incidents/:id/roles', post, async (request, reply) => {
    kit.require(request, 'responder');
    const body = request.body as FormBody;
    // An empty choice is nobody: the role is cleared, as `null` does in the API.
    const roles = Object.fromEntries(ROLES.map((r) => [r.key, field(body, r.key) || null]));
    const input = { roles } as PatchIncidentInput;
    const errors = schemaErrors(PatchIncident, input, () => 'roles');
    if (Object.keys(errors).length > 0) return view(request, reply, request.params.id, { errors: { roles: 'Choose each role from the list of users.' } }, 400);
    try {
      await patchIncident(kit.ctx(request), request.params.id, input, versionOf(body));
    } catch (error) {
      const message = isStale(error) ? 'This incident changed since you opened it. Nothing was saved; choose the roles again.' : userError(error);
      return view(request, reply, request.params.id, { errors: { roles: message } }, 409);
    }
    return reply.redirect(`/admin/incidents/${request.params.id}`, 303);
  });

  app.post('/incidents/:id/updates', post, async (request, reply) => {
    kit.require(request, 'responder');
    const body = request.body as FormBody;
    const { ctx, incident, components } = await load(request, request.params.id);
    const current = new Map(components.map((c) => [c.id, c.status]));
    const values: ComposerValues = {
      // Only an id can name a template; anything else is no template.
      template: isUuid(field(body, 'template')) ? field(body, 'template') : '',
      status: field(body, 'status'),
      message: field(body, 'message'),
      components: componentSelections(body),
      notify: checkbox(body, 'notify'),
    };
    if (field(body, 'action') === 'use-template') {
      const names = new Map(components.map((c) => [c.id, c.name]));
      const template = (await filledTemplates(ctx, names, Object.keys(incident.components))).find((t) => t.id === values.template);
      return view(request, reply, request.params.id, { values: template ? composerWithTemplate(values, template, incident.status) : values, errors: {} });
    }
    const input = { status: values.status, message: values.message, componentStatuses: chosenStatuses(values.components, incident, current), notify: values.notify } as AddUpdateInput;
    const errors = schemaErrors(AddUpdate, input, (p) => (p === 'componentStatuses' ? 'components' : p));
    if (Object.keys(errors).length > 0) return view(request, reply, request.params.id, { values, errors }, 400);
    try {
      await addUpdate(kit.ctx(request), request.params.id, input, versionOf(body));
    } catch (error) {
      const message = isStale(error)
        ? 'This incident changed since you opened it (see the timeline). Nothing was posted; your text is kept below.'
        : userError(error);
      return view(request, reply, request.params.id, { values, errors: { form: message } }, 409);
    }
    kit.publicChanged();
    return reply.redirect(`/admin/incidents/${request.params.id}`, 303);
  });

  async function resolveForm(request: FastifyRequest, reply: FastifyReply, id: string, given?: ResolveValues, errors: FieldErrors = {}, status = 200) {
    const { incident, components, reach } = await load(request, id);
    // The components the incident touched go back to operational unless the form says otherwise.
    const values: ResolveValues = given ?? {
      message: '',
      summary: '',
      postmortemDueAt: '',
      components: Object.fromEntries(Object.keys(incident.components).map((cid) => [cid, 'operational'])),
      notify: true,
    };
    return kit.page(
      request,
      reply,
      'resolve',
      {
        title: `Resolve: ${incident.title}`,
        incident,
        needsPostmortem: incident.severity !== 'P3',
        components: components.filter((c) => c.id in incident.components).map((c) => ({ id: c.id, name: c.name, chosen: values.components[c.id] ?? 'operational' })),
        statusWords,
        values,
        errors,
        reach,
      },
      status,
    );
  }

  app.get('/incidents/:id/resolve', route, async (request, reply) => {
    kit.require(request, 'responder');
    return resolveForm(request, reply, request.params.id);
  });

  app.post('/incidents/:id/resolve', post, async (request, reply) => {
    kit.require(request, 'responder');
    const body = request.body as FormBody;
    const values: ResolveValues = {
      message: field(body, 'message'),
      summary: field(body, 'summary'),
      postmortemDueAt: field(body, 'postmortemDueAt'),
      components: componentSelections(body),
      notify: checkbox(body, 'notify'),
    };
    const input: Record<string, unknown> = { message: values.message, summary: values.summary, componentStatuses: values.components, notify: values.notify };
    const due = dueDate(values.postmortemDueAt);
    if (due) input.postmortemDueAt = due;
    const errors = schemaErrors(Resolve, input, (p) => (p === 'componentStatuses' ? 'components' : p));
    const { incident } = await load(request, request.params.id);
    if (incident.severity !== 'P3' && !due) errors.postmortemDueAt ??= `A ${incident.severity} incident needs a postmortem due date.`;
    if (Object.keys(errors).length > 0) return resolveForm(request, reply, request.params.id, values, errors, 400);
    try {
      await resolveIncident(kit.ctx(request), request.params.id, input as ResolveInput, versionOf(body));
    } catch (error) {
      const message = isStale(error) ? 'This incident changed since you opened the form. Nothing was resolved; check the incident, then resolve again.' : userError(error);
      return resolveForm(request, reply, request.params.id, values, { form: message }, 409);
    }
    kit.publicChanged();
    return reply.redirect(`/admin/incidents/${request.params.id}`, 303);
  });
};
