import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentSettings, readImage, type ImageKind } from '../../modules/settings/index.js';
import type { RenderResult } from '../render-cache/render-cache.js';
import { IMMUTABLE, sendRendered } from '../render-cache/send-rendered.js';
import { themeCss } from './theme.js';

const CSS = 'text/css; charset=utf-8';
/**
 * An uploaded SVG opened by its URL is a document of our origin: sanitised already, and under
 * this policy it could run nothing and load nothing even if the sanitiser missed something.
 */
const IMAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

const missing = (what: string): RenderResult => ({ status: 404, contentType: 'text/plain; charset=utf-8', body: `No ${what} is set.` });

/**
 * The page's own files from its settings: `/theme.css` (accent and custom stylesheet),
 * `/custom.css`, and the uploaded logo and favicon under `/brand/`. Each is rendered once per
 * change through the public render cache; a URL carrying the current version is cached for good.
 */
export const brandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { policy } = app.publicRenders;
  const send = (req: Parameters<typeof sendRendered>[0], reply: Parameters<typeof sendRendered>[1], key: string, versioned: boolean, render: () => Promise<RenderResult>) =>
    app.publicCache.get(key, render).then((rendered) => sendRendered(req, reply, rendered, versioned ? IMMUTABLE : policy));
  const version = (req: { query: unknown }) => (req.query as { v?: string }).v;
  const doc = { hide: true, querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }) };

  app.get('/theme.css', { schema: doc }, (req, reply) => {
    const { themeUrl } = currentSettings(app);
    return send(req, reply, 'brand:theme', themeUrl !== null && themeUrl.endsWith(`=${version(req)}`), async () => {
      const settings = currentSettings(app);
      return settings.themeUrl ? { contentType: CSS, body: themeCss(settings) } : missing('theme');
    });
  });

  app.get('/custom.css', { schema: doc }, (req, reply) =>
    send(req, reply, 'brand:custom', currentSettings(app).customCss?.version === version(req), async () => {
      const css = currentSettings(app).customCss;
      return css ? { contentType: CSS, body: css.css } : missing('custom stylesheet');
    }),
  );

  for (const kind of ['logo', 'favicon'] as const satisfies readonly ImageKind[]) {
    app.get(`/brand/${kind}.:ext`, { schema: { ...doc, params: Type.Object({ ext: Type.String({ maxLength: 8 }) }) } }, (req, reply) => {
      reply.header('content-security-policy', IMAGE_POLICY);
      const current = currentSettings(app)[kind];
      const versioned = current !== null && current.url.endsWith(`.${req.params.ext}?v=${version(req)}`);
      return send(req, reply, `brand:${kind}`, versioned, async () => {
        const image = await readImage(app.db, kind);
        return image ? { contentType: image.contentType, body: Buffer.from(image.data, 'base64') } : missing(kind);
      });
    });
  }
};
