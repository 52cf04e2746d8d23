import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGES } from '../../domain/languages.js';
import { currentSettings, getSettings, MAX_IMAGE_BYTES, UpdateSettings, updateSettings } from '../../modules/settings/index.js';
import { checkbox, field, FormSchema, schemaErrors, type FieldErrors, type FormBody } from './forms.js';
import type { ConsoleKit } from './kit.js';
import { settingsInput, settingsSummary, settingsValues, type SettingsValues } from './settings-form.js';
import { userError } from './user-error.js';

const NOTICES: Record<string, string> = { saved: 'Settings saved. The public page shows them now.' };
/** The form field a property of the API's input comes from, where the names differ. */
const FIELD_OF: Record<string, string> = { logo: 'logoUrl' };
/** What to say instead of the schema's words. */
const MESSAGES: Record<string, string> = {
  accentColour: 'The accent colour is written #rrggbb, like #6f42c1.',
  pageName: 'The page name is at most 100 characters.',
  customCss: 'The custom CSS is 32 KiB at most.',
  footerLinks: 'At most 8 footer links, each label at most 60 characters.',
};
const TEXT_FIELDS = ['pageName', 'timeZone', 'defaultLanguage', 'accentColour', 'supportUrl', 'footerLinks', 'customCss', 'logoUrl'] as const;

/** `/admin/settings`: the page's name, look, links, zone and language, through the admin API's verb. */
export const settingsConsoleRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  // The form uploads the logo and favicon: multipart, for this plugin's routes only. Its fields
  // reach the body before the console's CSRF check runs. A file over the limit is cut short, and
  // refused by the verb's own size check rather than by a bare 413.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 2, fileSize: MAX_IMAGE_BYTES + 1, fieldSize: 64 * 1024, fields: 20, parts: 24 },
  });

  async function page(request: FastifyRequest, reply: FastifyReply, model: { values?: SettingsValues; errors?: FieldErrors } = {}, status = 200) {
    const view = await getSettings(kit.ctx(request), app.pageSettings.defaults);
    return kit.page(
      request,
      reply,
      'settings',
      {
        title: 'Page settings',
        values: model.values ?? settingsValues(view),
        errors: model.errors ?? {},
        languages: LANGUAGES,
        ...settingsSummary(view, currentSettings(app)),
        notice: NOTICES[field(request.query as FormBody, 'done')] ?? null,
      },
      status,
    );
  }

  app.get('/settings', { schema: { hide: true, querystring: FormSchema } }, async (request, reply) => {
    kit.require(request, 'owner');
    return page(request, reply);
  });

  app.post('/settings', { schema: { hide: true } }, async (request, reply) => {
    kit.require(request, 'owner');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const file = (name: string) => (Buffer.isBuffer(body[name]) ? (body[name] as Buffer) : undefined);
    const values = Object.fromEntries(TEXT_FIELDS.map((name) => [name, text(name)])) as unknown as SettingsValues;
    const flags = body as FormBody;
    const { input, errors } = settingsInput(values, { logo: file('logo'), favicon: file('favicon') }, { logo: checkbox(flags, 'removeLogo'), favicon: checkbox(flags, 'removeFavicon') });
    const schema = schemaErrors(UpdateSettings, input, (p) => FIELD_OF[p] ?? p);
    for (const name of Object.keys(schema)) schema[name] = MESSAGES[name] ?? schema[name]!;
    const refused = { ...schema, ...errors };
    if (Object.keys(refused).length > 0) return page(request, reply, { values, errors: refused }, 400);
    try {
      await updateSettings(kit.ctx(request), app.pageSettings.defaults, input);
    } catch (error) {
      return page(request, reply, { values, errors: { form: userError(error) } }, 400);
    }
    // As the admin API does: this process's settings first, then every rendered page, here and elsewhere.
    await app.pageSettings.reload();
    kit.publicChanged();
    return reply.redirect('/admin/settings?done=saved', 303);
  });
};
