import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdParams } from '../../http/schema-helpers.js';
import { getIncident } from '../../modules/incidents/index.js';
import { getPostmortem, publishPostmortem, PutPostmortem, putPostmortem, type PostmortemNotifier, type PostmortemView } from '../../modules/postmortems/index.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import { displayTime } from '../../text/time.js';
import { field, FormSchema, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { formValues, postmortemErrors, putInput, valuesOf, versionOf, withEmptyRow, type PostmortemValues } from './postmortem-form.js';
import { isStale, userError } from './user-error.js';

const SAVED_MEANWHILE =
  'Someone else saved this postmortem after you opened it. Nothing of yours was saved, and your text is kept below; ' +
  'Save again to replace their version with yours, or open the postmortem in another tab to compare first.';

const route = { schema: { hide: true, params: IdParams } };

/** The postmortem as a viewer reads it: every part shown, nothing to edit. Pure. */
export function postmortemReading(p: PostmortemView, timeZone: string) {
  const markdown = (part: string, source: string) => (source.trim() ? storedMarkdownHtml({ id: `postmortem:${p.incidentId}:${part}`, source, html: null }) : null);
  return {
    saved: p.saved,
    summaryHtml: markdown('summary', p.summary),
    rootCauseHtml: markdown('rootCause', p.rootCause),
    // A prefill is only offered to the author: until a timeline is saved there is none to read.
    timeline: p.timelinePrefilled ? [] : p.timeline.map((e) => ({ time: displayTime(new Date(e.at), timeZone), text: e.text, internal: e.internal })),
    whys: p.whys,
    contributingFactors: p.contributingFactors,
    actionItems: p.actionItems,
    updatedAt: p.updatedAt ? displayTime(new Date(p.updatedAt), timeZone) : null,
  };
}
const post = { schema: { hide: true, params: IdParams, body: FormSchema } };

/** `/admin/incidents/:id/postmortem`: write, preview, save and publish an incident's postmortem. */
export const postmortemRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit; notifier: PostmortemNotifier }> = async (app, { kit, notifier }) => {
  async function editor(request: FastifyRequest, reply: FastifyReply, id: string, given?: PostmortemValues, errors: FieldErrors = {}, status = 200) {
    const ctx = kit.ctx(request);
    const [incident, postmortem] = await Promise.all([getIncident(ctx, id), getPostmortem(ctx, id)]);
    return kit.page(
      request,
      reply,
      'postmortem',
      {
        title: `Postmortem: ${incident.title}`,
        incident,
        postmortem,
        publishedAt: postmortem.publishedAt ? displayTime(new Date(postmortem.publishedAt), ctx.site.timeZone) : null,
        publicUrl: `${ctx.site.publicUrl}/incidents/${incident.id}`,
        values: given ?? formValues(postmortem),
        errors,
      },
      status,
    );
  }

  // Viewers read it, draft or published, on a page without a form; the others get the editor.
  app.get('/incidents/:id/postmortem', route, async (request, reply) => {
    if (request.actor.role !== 'viewer') return editor(request, reply, request.params.id);
    const ctx = kit.ctx(request);
    const [incident, postmortem] = await Promise.all([getIncident(ctx, request.params.id), getPostmortem(ctx, request.params.id)]);
    return kit.page(request, reply, 'postmortem-read', {
      title: `Postmortem: ${incident.title}`,
      incident,
      publishedAt: postmortem.publishedAt ? displayTime(new Date(postmortem.publishedAt), ctx.site.timeZone) : null,
      publicUrl: `${ctx.site.publicUrl}/incidents/${incident.id}`,
      postmortem: postmortemReading(postmortem, ctx.site.timeZone),
    });
  });

  app.post('/incidents/:id/postmortem', post, async (request, reply) => {
    kit.require(request, 'responder');
    const id = request.params.id;
    const body = request.body as FormBody;
    const values = valuesOf(body);
    const action = field(body, 'action');
    // Without script a row is added by a submit that shows the form again, nothing saved.
    if (action === 'add-action') return editor(request, reply, id, withEmptyRow(values, 'actionItems'));
    if (action === 'add-line') return editor(request, reply, id, withEmptyRow(values, 'timeline'));

    const input = putInput(values);
    const errors = postmortemErrors(schemaErrors(PutPostmortem, input));
    if (Object.keys(errors).length > 0) return editor(request, reply, id, values, errors, 400);
    const ctx = kit.ctx(request);
    let saved: PostmortemView;
    try {
      saved = await putPostmortem(ctx, id, input, versionOf(values));
    } catch (error) {
      if (!isStale(error)) return editor(request, reply, id, values, { form: userError(error) }, 400);
      // The form now carries the saved version: a second Save is a choice made knowing of theirs.
      const current = await getPostmortem(ctx, id);
      return editor(request, reply, id, { ...values, version: String(current.version) }, { form: SAVED_MEANWHILE }, 409);
    }
    // A published postmortem's page shows the latest text, so a save changes it.
    if (saved.publishedAt) kit.publicChanged();
    if (action === 'publish' && !saved.publishedAt) {
      try {
        await publishPostmortem(ctx, id, notifier);
      } catch (error) {
        return editor(request, reply, id, values, { form: `Saved, not published: ${userError(error)}` }, 409);
      }
      kit.publicChanged();
    }
    return reply.redirect(`/admin/incidents/${id}/postmortem`, 303);
  });
};
