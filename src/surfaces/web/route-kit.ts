import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from './page-model.js';
import type { RenderResult } from '../render-cache/render-cache.js';

/** Serves `key` out of the render cache, rendering it with `render` when it is missing or stale. */
export type Serve = (request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<RenderResult>) => Promise<unknown>;

/** What the public sub-plugins (badges, feeds) are given by the public routes. */
export interface PublicKit {
  serve: Serve;
  context: () => PageContext;
  publicUrl: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Public routes need no token: no lock in the OpenAPI document. */
export const PUBLIC_DOC = { tags: ['public'], security: [] };
