import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminErrors } from '../../http/schema-helpers.js';
import { requestContext } from '../context.js';
import { PageSettings, UpdateSettings } from './settings.schemas.js';
import * as service from './settings.service.js';

const tags = ['settings'];
/** The page's name, look and language are the owner's. */
const owner = { minRole: 'owner' as const };

export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/settings',
    { config: owner, schema: { summary: 'The page’s settings: stored values (null: the default applies) and the defaults', operationId: 'getSettings', tags, response: { 200: PageSettings, ...adminErrors } } },
    async (req) => service.getSettings(requestContext(app, req), app.pageSettings.defaults),
  );

  app.patch(
    '/settings',
    {
      config: owner,
      schema: {
        summary: 'Change the page’s settings: name, logo, favicon, accent colour, links, custom CSS, time zone, language',
        description: 'Only the fields sent change; null returns one to its default. Applies to every instance at once, like any public write.',
        operationId: 'updateSettings',
        tags,
        body: UpdateSettings,
        response: { 200: PageSettings, ...adminErrors },
      },
    },
    async (req) => {
      const view = await service.updateSettings(requestContext(app, req), app.pageSettings.defaults, req.body);
      // Before the answer leaves (and the admin API drops the rendered pages): renders from now on use them.
      await app.pageSettings.reload();
      return view;
    },
  );
};
