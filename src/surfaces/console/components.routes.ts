import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../../core/errors.js';
import { movedPositions } from '../../domain/page-order.js';
import { IdParams } from '../../http/schema-helpers.js';
import {
  createComponent,
  CreateComponent,
  CreateComponentGroup,
  createGroup,
  deleteComponent,
  deleteGroup,
  listComponents,
  listGroups,
  updateComponent,
  UpdateComponent,
  UpdateComponentGroup,
  updateGroup,
  type ComponentRow,
} from '../../modules/components/index.js';
import { getSource } from '../../modules/component-sources/index.js';
import type { ServiceContext } from '../../modules/context.js';
import { statusWords } from './board-model.js';
import { componentSourceScreenRoutes, sourceModel, sourceValues, type SourceValues } from './component-source.js';
import { componentInput, componentValues, groupValues, savedComponent, savedGroup, staleMessage, type ComponentValues, type GroupValues } from './component-form.js';
import { componentSelections, field, FormSchema, isComponentStatus, sameVersion, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { isStale, userError } from './user-error.js';

const route = { schema: { hide: true, params: IdParams } };
const post = { schema: { hide: true, params: IdParams, body: FormSchema } };
const postNew = { schema: { hide: true, body: FormSchema } };

/** What the list page shows besides the list: the two "add" forms' text and errors, and a refusal. */
interface ListForms {
  component?: ComponentValues;
  group?: GroupValues;
  errors?: FieldErrors;
}

const direction = (body: FormBody) => (field(body, 'direction') === 'up' ? 'up' : 'down');

/**
 * `/admin/components`: groups and components in page order. Everyone sees them; responders
 * change a component's status (incident work); only owners add, rename, move and delete, as
 * the admin API decides (`PATCH /components/:id` takes a status from a responder, the rest
 * from an owner).
 */
export const componentScreenRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit; onSourceLinked: () => void }> = async (app, { kit, onSourceLinked }) => {
  async function load(ctx: ServiceContext) {
    const [groups, components] = await Promise.all([listGroups(ctx.db), listComponents(ctx.db)]);
    return { groups, components };
  }

  async function list(request: FastifyRequest, reply: FastifyReply, forms: ListForms = {}, status = 200) {
    const { groups, components } = await load(kit.ctx(request));
    const known = new Set(groups.map((g) => g.id));
    const row = (c: ComponentRow) => ({ id: c.id, name: c.name, description: c.description, status: c.status, chosen: c.status, words: statusWords(c.status) });
    return kit.page(
      request,
      reply,
      'components',
      {
        title: 'Components',
        groups: groups.map((g) => ({ id: g.id, name: g.name, components: components.filter((c) => c.groupId === g.id).map(row) })),
        ungrouped: components.filter((c) => !c.groupId || !known.has(c.groupId)).map(row),
        groupChoices: groups.map((g) => ({ id: g.id, name: g.name })),
        component: forms.component ?? { name: '', description: '', groupId: '', version: '' },
        group: forms.group ?? { groupName: '', version: '' },
        errors: forms.errors ?? {},
        statusWords,
      },
      status,
    );
  }

  app.get('/components', { schema: { hide: true } }, async (request, reply) => list(request, reply));

  app.post('/components', postNew, async (request, reply) => {
    kit.require(request, 'owner');
    const values = componentValues(request.body as FormBody);
    const input = componentInput(values);
    const errors = schemaErrors(CreateComponent, input);
    if (Object.keys(errors).length > 0) return list(request, reply, { component: values, errors }, 400);
    try {
      await createComponent(kit.ctx(request), input);
    } catch (error) {
      return list(request, reply, { component: values, errors: { form: userError(error) } }, 400);
    }
    kit.publicChanged();
    return reply.redirect('/admin/components', 303);
  });

  app.post('/components/groups', postNew, async (request, reply) => {
    kit.require(request, 'owner');
    const values = groupValues(request.body as FormBody);
    const input = { name: values.groupName.trim() };
    const errors = schemaErrors(CreateComponentGroup, input, (p) => (p === 'name' ? 'groupName' : p));
    if (Object.keys(errors).length > 0) return list(request, reply, { group: values, errors }, 400);
    await createGroup(kit.ctx(request), input);
    kit.publicChanged();
    return reply.redirect('/admin/components', 303);
  });

  // A status is incident work: responders may set it, through the same verb and rule as the API.
  app.post('/components/:id/status', post, async (request, reply) => {
    kit.require(request, 'responder');
    const status = componentSelections(request.body as FormBody)[request.params.id] ?? '';
    if (!isComponentStatus(status)) return list(request, reply, { errors: { form: `Choose one of the statuses listed, not "${status}".` } }, 400);
    try {
      await updateComponent(kit.ctx(request), request.params.id, { status });
    } catch (error) {
      return list(request, reply, { errors: { form: userError(error) } }, 409);
    }
    kit.publicChanged();
    return reply.redirect('/admin/components', 303);
  });

  /** Up or down among its siblings: every position that changes, in one transaction, each through the API's verb. */
  async function move(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    siblings: (all: Awaited<ReturnType<typeof load>>) => { id: string; position: number }[] | undefined,
    update: (ctx: ServiceContext, id: string, position: number) => Promise<unknown>,
  ) {
    kit.require(request, 'owner');
    const ctx = kit.ctx(request);
    const items = siblings(await load(ctx));
    if (!items) throw new Errors.notFound('Component or group', request.params.id);
    const moves = movedPositions(items, request.params.id, direction(request.body as FormBody));
    if (moves.length > 0) {
      await ctx.db.transaction(async (tx) => {
        for (const m of moves) await update({ ...ctx, db: tx }, m.id, m.position);
      });
      kit.publicChanged();
    }
    return reply.redirect('/admin/components', 303);
  }

  app.post('/components/:id/move', post, (request, reply) =>
    move(
      request,
      reply,
      ({ components }) => {
        const component = components.find((c) => c.id === request.params.id);
        return component && components.filter((c) => c.groupId === component.groupId);
      },
      (ctx, id, position) => updateComponent(ctx, id, { position }),
    ),
  );

  app.post('/components/groups/:id/move', post, (request, reply) =>
    move(request, reply, ({ groups }) => (groups.some((g) => g.id === request.params.id) ? groups : undefined), (ctx, id, position) => updateGroup(ctx, id, { position })),
  );

  // Renaming, describing, and moving to another group: the component's own page, with the
  // status page it follows, if any.
  async function editComponent(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    given?: ComponentValues,
    errors: FieldErrors = {},
    status = 200,
    sourceForm?: { values: SourceValues; errors: FieldErrors },
  ) {
    const ctx = kit.ctx(request);
    const [{ groups, components }, source] = await Promise.all([load(ctx), getSource(ctx, request.params.id)]);
    const component = components.find((c) => c.id === request.params.id);
    if (!component) throw new Errors.notFound('Component', request.params.id);
    const values = given ?? savedComponent(component);
    return kit.page(
      request,
      reply,
      'component-edit',
      {
        title: `Edit ${component.name}`,
        kind: 'component',
        id: component.id,
        heading: component.name,
        values,
        errors: { ...errors, ...sourceForm?.errors },
        groupChoices: groups.map((g) => ({ id: g.id, name: g.name })),
        source: sourceModel(source, ctx.site.timeZone),
        sourceValues: sourceForm?.values ?? sourceValues(source),
      },
      status,
    );
  }

  componentSourceScreenRoutes(app, kit, (request, reply, form, status) => editComponent(request, reply, undefined, {}, status, form), onSourceLinked);

  app.get('/components/:id/edit', route, async (request, reply) => {
    kit.require(request, 'owner');
    return editComponent(request, reply);
  });

  app.post('/components/:id/edit', post, async (request, reply) => {
    kit.require(request, 'owner');
    const values = componentValues(request.body as FormBody);
    const input: Record<string, unknown> = componentInput(values);
    const errors = schemaErrors(UpdateComponent, input);
    if (Object.keys(errors).length > 0) return editComponent(request, reply, values, errors, 400);
    const { components } = await load(kit.ctx(request));
    const before = components.find((c) => c.id === request.params.id);
    if (!before) throw new Errors.notFound('Component', request.params.id);
    /** The form again, with the version now saved and what it now says: a second Save replaces it on purpose. */
    const stale = async () => {
      const { groups, components: saved } = await load(kit.ctx(request));
      const current = saved.find((c) => c.id === request.params.id);
      if (!current) throw new Errors.notFound('Component', request.params.id);
      const group = groups.find((g) => g.id === current.groupId)?.name;
      const now = `“${current.name}”${group ? ` in ${group}` : ', in no group'}`;
      return editComponent(request, reply, { ...values, version: savedComponent(current).version }, { form: staleMessage('component', now) }, 409);
    };
    // Moved to another group: it goes last there.
    if (before.groupId !== input.groupId) {
      const members = components.filter((c) => c.groupId === input.groupId && c.id !== before.id);
      input.position = Math.min(1_000_000, members.length === 0 ? 0 : Math.max(...members.map((c) => c.position)) + 1);
    }
    try {
      // The verb compares the form's version with the component it has locked.
      await updateComponent(kit.ctx(request), request.params.id, input, sameVersion(values.version, (row: ComponentRow) => savedComponent(row).version));
    } catch (error) {
      if (isStale(error)) return stale();
      return editComponent(request, reply, values, { form: userError(error) }, 400);
    }
    kit.publicChanged();
    return reply.redirect('/admin/components', 303);
  });

  async function editGroup(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, given?: GroupValues, errors: FieldErrors = {}, status = 200) {
    const group = (await listGroups(kit.ctx(request).db)).find((g) => g.id === request.params.id);
    if (!group) throw new Errors.notFound('Component group', request.params.id);
    const values = given ?? savedGroup(group);
    return kit.page(request, reply, 'component-edit', { title: `Rename ${group.name}`, kind: 'group', id: group.id, heading: group.name, values, errors }, status);
  }

  app.get('/components/groups/:id/edit', route, async (request, reply) => {
    kit.require(request, 'owner');
    return editGroup(request, reply);
  });

  app.post('/components/groups/:id/edit', post, async (request, reply) => {
    kit.require(request, 'owner');
    const values = groupValues(request.body as FormBody);
    const input = { name: values.groupName.trim() };
    const errors = schemaErrors(UpdateComponentGroup, input, (p) => (p === 'name' ? 'groupName' : p));
    if (Object.keys(errors).length > 0) return editGroup(request, reply, values, errors, 400);
    try {
      // The verb compares the form's version with the group it has locked.
      await updateGroup(kit.ctx(request), request.params.id, input, sameVersion(values.version, (row: { name: string }) => savedGroup(row).version));
    } catch (error) {
      if (!isStale(error)) throw error;
      const current = (await listGroups(kit.ctx(request).db)).find((g) => g.id === request.params.id);
      if (!current) throw new Errors.notFound('Component group', request.params.id);
      return editGroup(request, reply, { ...values, version: savedGroup(current).version }, { form: staleMessage('group', `named “${current.name}”`) }, 409);
    }
    kit.publicChanged();
    return reply.redirect('/admin/components', 303);
  });

  // Deleting asks first, on a page of its own: a plain link and a form, no script needed.
  async function confirmDelete(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, kind: 'component' | 'group') {
    kit.require(request, 'owner');
    const { groups, components } = await load(kit.ctx(request));
    const target = (kind === 'group' ? groups : components).find((x) => x.id === request.params.id);
    if (!target) throw new Errors.notFound(kind === 'group' ? 'Component group' : 'Component', request.params.id);
    const path = kind === 'group' ? `/admin/components/groups/${target.id}/delete` : `/admin/components/${target.id}/delete`;
    const consequence =
      kind === 'group'
        ? 'Its components stay, in no group.'
        : 'It leaves the status page, and its status history and uptime go with it.';
    return kit.page(request, reply, 'confirm', {
      title: `Delete ${target.name}?`,
      question: `Delete the ${kind} “${target.name}”?`,
      consequence,
      action: path,
      button: `Delete ${kind}`,
      back: '/admin/components',
    });
  }

  app.get('/components/:id/delete', route, (request, reply) => confirmDelete(request, reply, 'component'));
  app.get('/components/groups/:id/delete', route, (request, reply) => confirmDelete(request, reply, 'group'));

  app.post('/components/:id/delete', post, async (request, reply) => {
    kit.require(request, 'owner');
    await deleteComponent(kit.ctx(request), request.params.id);
    kit.publicChanged();
    return reply.redirect('/admin/components', 303);
  });

  app.post('/components/groups/:id/delete', post, async (request, reply) => {
    kit.require(request, 'owner');
    await deleteGroup(kit.ctx(request), request.params.id);
    kit.publicChanged();
    return reply.redirect('/admin/components', 303);
  });
};
