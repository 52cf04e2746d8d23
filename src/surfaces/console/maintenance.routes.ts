import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUnderWay, windowLabel } from '../../domain/maintenance-window.js';
import type { MaintenanceStatus } from '../../domain/vocabulary.js';
import { IdParams } from '../../http/schema-helpers.js';
import { listComponents } from '../../modules/components/index.js';
import {
  CreateMaintenance,
  createMaintenance,
  deleteMaintenance,
  getMaintenance,
  listMaintenances,
  patchMaintenance,
  type CreateMaintenanceInput,
  type MaintenanceView,
} from '../../modules/maintenance/index.js';
import { statusWords } from './board-model.js';
import { checkbox, field, FormSchema, localField, localInstant, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { userError } from './user-error.js';

const route = { schema: { hide: true, params: IdParams } };
const post = { schema: { hide: true, params: IdParams, body: FormSchema } };

/** How many completed maintenances the list shows, newest first. */
const COMPLETED_SHOWN = 20;

export interface MaintenanceValues {
  title: string;
  message: string;
  scheduledFor: string;
  scheduledUntil: string;
  componentIds: string[];
  autoStart: boolean;
  autoComplete: boolean;
  /** An edit form's `updatedAt` when it was opened: a save over someone else's change is refused. */
  version: string;
}

const EMPTY: MaintenanceValues = { title: '', message: '', scheduledFor: '', scheduledUntil: '', componentIds: [], autoStart: true, autoComplete: true, version: '' };

/** A scheduled maintenance's fields as the edit form shows them, its window in the page's zone. */
function valuesFrom(m: MaintenanceView, timeZone: string): MaintenanceValues {
  return {
    title: m.title,
    message: m.body,
    scheduledFor: localField(new Date(m.scheduledFor), timeZone),
    scheduledUntil: localField(new Date(m.scheduledUntil), timeZone),
    componentIds: m.componentIds,
    autoStart: m.autoStart,
    autoComplete: m.autoComplete,
    version: m.updatedAt,
  };
}

const NOT_SCHEDULED = (m: MaintenanceView) =>
  `“${m.title}” is ${statusWords(m.status)}: only a maintenance that has not started can be edited. Complete it when the work is done.`;

function valuesOf(body: FormBody): MaintenanceValues {
  const ids = body.componentIds;
  return {
    title: field(body, 'title'),
    message: field(body, 'message'),
    scheduledFor: field(body, 'scheduledFor'),
    scheduledUntil: field(body, 'scheduledUntil'),
    componentIds: Array.isArray(ids) ? ids : ids ? [ids] : [],
    autoStart: checkbox(body, 'autoStart'),
    autoComplete: checkbox(body, 'autoComplete'),
    version: field(body, 'version'),
  };
}

/** The API's schedule body from the form; the times are read in the page's display zone. */
export function scheduleInput(values: Omit<MaintenanceValues, 'version'>, timeZone: string): CreateMaintenanceInput {
  return {
    title: values.title.trim(),
    body: values.message,
    scheduledFor: localInstant(values.scheduledFor, timeZone),
    scheduledUntil: localInstant(values.scheduledUntil, timeZone),
    componentIds: values.componentIds,
    autoStart: values.autoStart,
    autoComplete: values.autoComplete,
  };
}

/** The form field a schema property belongs to: the API's `body` is the form's Message. */
const fieldOf = (property: string) => (property === 'body' ? 'message' : property);

/**
 * The verb's refusals of a window ("scheduledFor must be before scheduledUntil", "scheduledUntil
 * is in the past") belong beside Ends at, in the form's words; any other beside the whole form.
 */
export function windowError(message: string): FieldErrors {
  if (!/^scheduled(For|Until)\b/.test(message)) return { form: message };
  const words = message.replaceAll('scheduledFor', 'the start').replaceAll('scheduledUntil', 'the end');
  return { scheduledUntil: `${words.charAt(0).toUpperCase()}${words.slice(1)}.` };
}

/** Which buttons a maintenance offers: edit, start and cancel while scheduled, complete until completed. */
function actionsFor(status: MaintenanceStatus) {
  const scheduled = status === 'scheduled';
  return { edit: scheduled, start: scheduled, complete: status !== 'completed', cancel: scheduled };
}

/**
 * `/admin/maintenance`: under way, scheduled and completed maintenance; responders and owners
 * schedule, start, complete and cancel through the maintenance module's verbs, as the admin API
 * does (`POST`, `PATCH` with a status, `DELETE` while scheduled: there is no cancelled status).
 */
export const maintenanceScreenRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  async function list(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) {
    const ctx = kit.ctx(request);
    const [all, components] = await Promise.all([listMaintenances(ctx, 'all'), listComponents(ctx.db)]);
    const names = new Map(components.map((c) => [c.id, c.name]));
    const card = (m: MaintenanceView) => ({
      id: m.id,
      title: m.title,
      status: statusWords(m.status),
      window: windowLabel({ scheduledFor: new Date(m.scheduledFor), scheduledUntil: new Date(m.scheduledUntil) }, ctx.site.timeZone),
      components: m.componentIds.flatMap((id) => names.get(id) ?? []),
      auto: [m.autoStart && m.status === 'scheduled' ? 'starts' : '', m.autoComplete && m.status !== 'completed' ? 'completes' : ''].filter(Boolean),
      actions: actionsFor(m.status),
    });
    // The list comes newest window first; what is next matters most, so the scheduled run soonest first.
    const scheduled = all.filter((m) => m.status === 'scheduled').reverse();
    return kit.page(
      request,
      reply,
      'maintenance',
      {
        title: 'Maintenance',
        sections: [
          { id: 'under-way', title: 'In progress', none: 'Nothing in progress.', items: all.filter((m) => isUnderWay(m.status)).map(card) },
          { id: 'scheduled', title: 'Scheduled', none: 'Nothing scheduled.', items: scheduled.map(card) },
          { id: 'completed', title: 'Completed', none: 'None completed yet.', items: all.filter((m) => m.status === 'completed').slice(0, COMPLETED_SHOWN).map(card) },
        ],
        errors,
      },
      status,
    );
  }

  app.get('/maintenance', { schema: { hide: true } }, async (request, reply) => list(request, reply));

  /** The schedule form, or with `editing` the edit form of that maintenance. */
  async function form(request: FastifyRequest, reply: FastifyReply, values: MaintenanceValues, errors: FieldErrors = {}, status = 200, editing?: MaintenanceView) {
    const ctx = kit.ctx(request);
    const components = await listComponents(ctx.db);
    return kit.page(
      request,
      reply,
      'maintenance-new',
      {
        title: editing ? `Edit ${editing.title}` : 'Schedule maintenance',
        action: editing ? `/admin/maintenance/${editing.id}/edit` : '/admin/maintenance/new',
        button: editing ? 'Save changes' : 'Schedule',
        editing: editing !== undefined,
        values,
        errors,
        timeZone: ctx.site.timeZone,
        components: components.map((c) => ({ id: c.id, name: c.name, chosen: values.componentIds.includes(c.id) })),
      },
      status,
    );
  }

  app.get('/maintenance/new', { schema: { hide: true } }, async (request, reply) => {
    kit.require(request, 'responder');
    return form(request, reply, EMPTY);
  });

  app.post('/maintenance/new', { schema: { hide: true, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'responder');
    const values = valuesOf(request.body as FormBody);
    const ctx = kit.ctx(request);
    const input = scheduleInput(values, ctx.site.timeZone);
    const errors = schemaErrors(CreateMaintenance, input, fieldOf);
    if (Object.keys(errors).length > 0) return form(request, reply, values, errors, 400);
    try {
      await createMaintenance(ctx, input);
    } catch (error) {
      return form(request, reply, values, windowError(userError(error)), 400);
    }
    kit.publicChanged();
    return reply.redirect('/admin/maintenance', 303);
  });

  // Editing: the API's PATCH with the whole form, while the maintenance has not started.
  app.get('/maintenance/:id/edit', route, async (request, reply) => {
    kit.require(request, 'responder');
    const ctx = kit.ctx(request);
    const maintenance = await getMaintenance(ctx, request.params.id);
    if (maintenance.status !== 'scheduled') return list(request, reply, { form: NOT_SCHEDULED(maintenance) }, 409);
    return form(request, reply, valuesFrom(maintenance, ctx.site.timeZone), {}, 200, maintenance);
  });

  app.post('/maintenance/:id/edit', post, async (request, reply) => {
    kit.require(request, 'responder');
    const ctx = kit.ctx(request);
    const values = valuesOf(request.body as FormBody);
    const current = await getMaintenance(ctx, request.params.id);
    const again = (errors: FieldErrors, status: number) => form(request, reply, values, errors, status, current);
    if (current.status !== 'scheduled') return again({ form: `${NOT_SCHEDULED(current)} Nothing was saved; your text is kept below.` }, 409);
    // Maintenance carries no ETag; its last change stands in for one (as templates do).
    if (values.version !== current.updatedAt) {
      return again({ form: 'This maintenance changed since you opened it. Nothing was saved; your text is kept below. Open it again to see the other change.' }, 409);
    }
    const input = scheduleInput(values, ctx.site.timeZone);
    const errors = schemaErrors(CreateMaintenance, input, fieldOf);
    if (Object.keys(errors).length > 0) return again(errors, 400);
    try {
      await patchMaintenance(ctx, request.params.id, input);
    } catch (error) {
      return again(windowError(userError(error)), 400);
    }
    kit.publicChanged();
    return reply.redirect('/admin/maintenance', 303);
  });

  /** Moves a maintenance on; a step someone else took first is refused by the verb and shown above the list. */
  const transition = (to: MaintenanceStatus) => async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    kit.require(request, 'responder');
    try {
      await patchMaintenance(kit.ctx(request), request.params.id, { status: to });
    } catch (error) {
      return list(request, reply, { form: userError(error) }, 409);
    }
    kit.publicChanged();
    return reply.redirect('/admin/maintenance', 303);
  };

  app.post('/maintenance/:id/start', post, transition('in_progress'));
  app.post('/maintenance/:id/complete', post, transition('completed'));

  // Cancelling asks first, on a page of its own (no script needed), then deletes: the API's rule.
  app.get('/maintenance/:id/cancel', route, async (request, reply) => {
    kit.require(request, 'responder');
    const maintenance = (await listMaintenances(kit.ctx(request), 'open')).find((m) => m.id === request.params.id && m.status === 'scheduled');
    if (!maintenance) return list(request, reply, { form: 'That maintenance is no longer scheduled: only a scheduled maintenance can be cancelled.' }, 409);
    return kit.page(request, reply, 'confirm', {
      title: `Cancel ${maintenance.title}?`,
      question: `Cancel the maintenance “${maintenance.title}”?`,
      consequence: 'It is deleted and leaves the status page. Work already started cannot be cancelled; complete it instead.',
      action: `/admin/maintenance/${maintenance.id}/cancel`,
      button: 'Cancel maintenance',
      back: '/admin/maintenance',
      backText: 'Keep it scheduled',
    });
  });

  app.post('/maintenance/:id/cancel', post, async (request, reply) => {
    kit.require(request, 'responder');
    try {
      await deleteMaintenance(kit.ctx(request), request.params.id);
    } catch (error) {
      return list(request, reply, { form: userError(error) }, 409);
    }
    kit.publicChanged();
    return reply.redirect('/admin/maintenance', 303);
  });
};
