import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../../core/errors.js';
import type { Role } from '../../domain/vocabulary.js';
import { requestContext, type ServiceContext } from '../../modules/context.js';
import { hasRole } from '../../plugins/auth.js';
import { navFor } from './nav.js';
import { secretFlash, type SecretFlash, type ShownOnce } from './secret-flash.js';

/** What every console screen shares: how a page is rendered, who acts, and what a write must tell. */
export interface ConsoleKit {
  /** Renders `views/console/<name>.eta` inside the console's layout, never cached. */
  page: (request: FastifyRequest, reply: FastifyReply, name: string, model: object, status?: number) => Promise<FastifyReply>;
  ctx: (request: FastifyRequest) => ServiceContext;
  /** Throws the API's 403 when the signed-in user's role is below `role`. */
  require: (request: FastifyRequest, role: Role) => void;
  /** After a write the public pages show: the same call the admin API makes after its writes. */
  publicChanged: () => void;
  /** Static files for the layout, with their versioned URLs. */
  assets: { css: string; consoleCss: string; script: string; icon: string };
  /** Secrets made by a post, for the page its redirect leads to: shown once, then gone. */
  secrets: SecretFlash<ShownOnce>;
}

export function consoleKit(app: FastifyInstance, options: { onWrite: () => void; assets: ConsoleKit['assets'] }): ConsoleKit {
  return {
    async page(request, reply, name, model, status = 200) {
      const csrfToken = reply.generateCsrf();
      const html = await app.view(`console/${name}`, {
        ...model,
        pageName: app.site.pageName,
        actor: request.actor ?? null,
        csrfToken,
        assets: options.assets,
        nav: request.actor ? navFor(request.actor, request.url.split('?', 1)[0] ?? request.url) : [],
      });
      return reply.code(status).type('text/html; charset=utf-8').send(html);
    },
    ctx: (request) => requestContext(app, request),
    require(request, role) {
      if (!hasRole(request.actor, role)) throw new Errors.forbidden(`This needs the ${role} role; you are ${request.actor.role}`);
    },
    publicChanged: options.onWrite,
    assets: options.assets,
    secrets: secretFlash({ now: () => app.now() }),
  };
}
