import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { ErrorResponse } from '../http/schema-helpers.js';

export interface OpenApiOptions {
  /** Where the API is served: the document's one server. */
  publicUrl: string;
}

/**
 * Any route may refuse a request before its handler runs (a URL too long or malformed, a query
 * out of range): the document says so wherever a route names no client error of its own.
 */
const REFUSED = {
  description: 'The request is refused: a malformed or too long URL, or a value out of range',
  content: { 'application/json': { schema: ErrorResponse } },
};

/** A page, a feed or a badge: text in the media types the route `produces`. */
function textAnswer(produces: string[] | undefined) {
  return {
    description: 'OK',
    content: Object.fromEntries((produces ?? ['text/plain']).map((media) => [media, { schema: { type: 'string' } }])),
  };
}

/**
 * The OpenAPI 3.1 document at /docs/json, built from the routes' own schemas, and its viewer at
 * /docs. 3.1 because its schemas are JSON Schema 2020-12, what TypeBox writes (3.0's subset
 * has no `propertyNames` or `examples`). Every operation names a summary and an operationId.
 */
export default fp<OpenApiOptions>(
  async (app, { publicUrl }) => {
    app.addHook('onRoute', (route) => {
      const schema = route.schema as { hide?: boolean; produces?: string[]; response?: Record<string, unknown> } | undefined;
      if (!schema || schema.hide) return;
      const response = (schema.response ??= {});
      const declares = (digit: string) => Object.keys(response).some((status) => status.startsWith(digit));
      if (!declares('2')) response['200'] = textAnswer(schema.produces);
      if (!declares('4')) response['4xx'] = REFUSED;
    });
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Heliograph',
          version: '0.1.0',
          description: 'Status page and incident response API',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        servers: [{ url: publicUrl }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        security: [{ bearer: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'openapi' },
);
