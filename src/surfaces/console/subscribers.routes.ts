import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { isUuid } from '../../core/ids.js';
import { IdParams } from '../../http/schema-helpers.js';
import {
  deleteSubscriber,
  exportCsv,
  getSubscriber,
  importSubscribers,
  listSubscribers,
  MAX_IMPORT,
  type ImportResult,
} from '../../modules/subscribers/index.js';
import { displayTime } from '../../text/time.js';
import { confirmPage } from './confirm.js';
import { checkbox, field, FormSchema, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { readSubscriberList, type ListedSubscriber } from './subscriber-list.js';
import { userError } from './user-error.js';

const PAGE_SIZE = 50;
/** The largest list a form may carry, pasted or uploaded: the API's import takes no more either. */
const MAX_LIST_BYTES = 4 * 1024 * 1024;
const NOTICES: Record<string, string> = { deleted: 'The subscriber was deleted.' };

interface ImportValues {
  list: string;
  confirmed: boolean;
}

/** What the import did, line by line where a line was refused. */
interface ImportReport {
  imported: number;
  skipped: number;
  refused: Array<{ line: number; email: string; reason: string }>;
}

/**
 * The lines the import verb would refuse a whole import for, reported here instead: a
 * component id that is not one (the verb checks only that the ids it is given exist).
 */
function splitMalformed(listed: ListedSubscriber[]) {
  const ok: ListedSubscriber[] = [];
  const refused: ImportReport['refused'] = [];
  for (const entry of listed) {
    if (entry.componentIds.every(isUuid)) ok.push(entry);
    else refused.push({ line: entry.line, email: entry.email, reason: 'names a component id that is not one' });
  }
  return { ok, refused };
}

function report(sent: ListedSubscriber[], result: ImportResult, refused: ImportReport['refused']): ImportReport {
  const invalid = result.invalid.map((i) => ({ line: sent[i.index]!.line, email: i.email, reason: i.reason }));
  return { imported: result.imported, skipped: result.skipped - invalid.length, refused: [...refused, ...invalid].sort((a, b) => a.line - b.line) };
}

/** `/admin/subscribers`: list, search, delete, import and export, through the admin API's verbs. */
export const subscriberConsoleRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  // The import form uploads a file: multipart, for this plugin's routes only. Its fields reach
  // the body before the console's CSRF check runs.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 1, fileSize: MAX_LIST_BYTES, fieldSize: MAX_LIST_BYTES, fields: 10, parts: 12 },
  });

  async function listPage(request: FastifyRequest, reply: FastifyReply, model: { values?: ImportValues; errors?: FieldErrors; report?: ImportReport | null } = {}, status = 200) {
    const query = request.query as FormBody;
    const search = field(query, 'search').slice(0, 254);
    const pageNumber = Math.max(1, Math.min(Number.parseInt(field(query, 'page'), 10) || 1, 100_000));
    const ctx = kit.ctx(request);
    const rows = await listSubscribers(ctx, PAGE_SIZE + 1, (pageNumber - 1) * PAGE_SIZE, search);
    const link = (page: number) => `/admin/subscribers?${new URLSearchParams({ ...(search ? { search } : {}), page: String(page) })}`;
    return kit.page(
      request,
      reply,
      'subscribers',
      {
        title: 'Subscribers',
        search,
        subscribers: rows.slice(0, PAGE_SIZE).map((s) => ({ ...s, created: displayTime(new Date(s.createdAt), ctx.site.timeZone) })),
        previous: pageNumber > 1 ? link(pageNumber - 1) : null,
        next: rows.length > PAGE_SIZE ? link(pageNumber + 1) : null,
        notice: NOTICES[field(query, 'done')] ?? null,
        values: model.values ?? { list: '', confirmed: false },
        errors: model.errors ?? {},
        report: model.report ?? null,
      },
      status,
    );
  }

  app.get('/subscribers', { schema: { hide: true, querystring: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    return listPage(request, reply);
  });

  app.get('/subscribers/export', { schema: { hide: true } }, async (request, reply) => {
    kit.require(request, 'owner');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="subscribers.csv"')
      .send(Readable.from(exportCsv(kit.ctx(request))));
  });

  app.post('/subscribers/import', { schema: { hide: true } }, async (request, reply) => {
    kit.require(request, 'owner');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const upload = Buffer.isBuffer(body.file) ? body.file.toString('utf8') : '';
    const values: ImportValues = { list: typeof body.list === 'string' ? body.list : '', confirmed: checkbox(body as FormBody, 'confirmed') };
    const listed = readSubscriberList(upload.trim() ? upload : values.list);
    const fail = (errors: FieldErrors) => listPage(request, reply, { values, errors }, 400);
    if (listed.length === 0) return fail({ list: 'Paste addresses or choose a file: one address per line, or CSV with an email column.' });
    if (listed.length > MAX_IMPORT) return fail({ list: `At most ${MAX_IMPORT.toLocaleString('en')} addresses at once; this list has ${listed.length.toLocaleString('en')}.` });
    const { ok, refused } = splitMalformed(listed);
    try {
      const input = { subscribers: ok.map(({ email, componentIds }) => ({ email: email.slice(0, 1000), componentIds })), confirmed: values.confirmed };
      const result = await importSubscribers(kit.ctx(request), input, app.notifications.tokens);
      app.notifications.worker.wake();
      return listPage(request, reply, { values: { list: '', confirmed: values.confirmed }, report: report(ok, result, refused) });
    } catch (error) {
      return fail({ list: userError(error) });
    }
  });

  app.get('/subscribers/:id/delete', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    kit.require(request, 'owner');
    const subscriber = await getSubscriber(kit.ctx(request), request.params.id);
    return confirmPage(kit, request, reply, {
      title: 'Delete subscriber',
      question: `Delete ${subscriber.email}? They will get no more mail from this page, and cannot be brought back except by subscribing again.`,
      action: `/admin/subscribers/${subscriber.id}/delete`,
      button: 'Delete subscriber',
      back: '/admin/subscribers',
    });
  });

  app.post('/subscribers/:id/delete', { schema: { hide: true, params: IdParams, body: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    await deleteSubscriber(kit.ctx(request), request.params.id);
    return reply.redirect('/admin/subscribers?done=deleted', 303);
  });
};
