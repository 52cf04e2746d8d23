import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/** Answers a request itself and says true, or leaves it to the app and says false. */
export type FrontDoor = (request: IncomingMessage, response: ServerResponse) => boolean;

/** The server settings Fastify applies to the HTTP server it makes (see `serverTimeouts`). */
interface ServerSettings {
  http: ServerOptions;
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
}

/**
 * The app's HTTP server, made as Fastify makes its own (the same options and timeouts), with
 * `frontDoor` looking at each request before the app does: what it answers never reaches the
 * router.
 */
export function serverWithFrontDoor(settings: ServerSettings, frontDoor: FrontDoor): FastifyServerFactory<Server> {
  return (handler) => {
    const server = createServer(settings.http, (request, response) => {
      if (!frontDoor(request, response)) handler(request, response);
    });
    server.keepAliveTimeout = settings.keepAliveTimeout;
    server.requestTimeout = settings.requestTimeout;
    server.setTimeout(settings.connectionTimeout);
    return server;
  };
}
