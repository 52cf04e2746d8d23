import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listComponents } from '../../modules/components/index.js';
import { listIncidents } from '../../modules/incidents/index.js';
import { listMaintenances } from '../../modules/maintenance/index.js';
import type { ServiceContext } from '../../modules/context.js';
import { displayTime } from '../../text/time.js';
import { boardIncidents, boardMaintenance, statusWords } from './board-model.js';
import type { ConsoleKit } from './kit.js';

/** Everything the Now board shows, read through the modules' own reads. */
async function loadBoard(ctx: ServiceContext) {
  const now = ctx.clock();
  const [open, resolved, components, maintenances] = await Promise.all([
    listIncidents(ctx, 'open'),
    listIncidents(ctx, 'resolved'),
    listComponents(ctx.db),
    listMaintenances(ctx, 'open'),
  ]);
  return {
    now: now.toISOString(),
    incidents: boardIncidents(open, now),
    components: components.map((c) => ({ id: c.id, name: c.name, status: c.status, words: statusWords(c.status) })),
    maintenances: boardMaintenance(maintenances, ctx.site.timeZone),
    postmortemsOverdue: resolved
      .filter((i) => i.postmortemOverdue)
      .map((i) => ({ id: i.id, title: i.title, due: displayTime(new Date(i.postmortemDueAt!), ctx.site.timeZone) })),
  };
}

/** A sentence that changes when the board does: what console.js announces to screen readers. */
function boardSummary(board: Awaited<ReturnType<typeof loadBoard>>): string {
  const overdue = board.incidents.filter((i) => i.breached).length;
  const count = board.incidents.length;
  const incidents = count === 0 ? 'No open incidents' : `${count} open incident${count === 1 ? '' : 's'}`;
  const down = board.components.filter((c) => c.status !== 'operational').length;
  return `${incidents}${overdue ? `, ${overdue} overdue` : ''}; ${down === 0 ? 'all components operational' : `${down} component${down === 1 ? '' : 's'} affected`}.`;
}

/** `GET /admin` signed in: the Now board. */
export function boardPage(app: FastifyInstance, kit: ConsoleKit) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const board = await loadBoard(kit.ctx(request));
    return kit.page(request, reply, 'board', { title: 'Now', board, summary: boardSummary(board) });
  };
}

/** The board's parts that change, for console.js to poll: its HTML, and a sentence to announce. */
export const boardRoutes: FastifyPluginAsyncTypebox<{ kit: ConsoleKit }> = async (app, { kit }) => {
  app.get(
    '/board.json',
    { schema: { hide: true, response: { 200: Type.Object({ html: Type.String(), summary: Type.String() }) } } },
    async (request) => {
      const board = await loadBoard(kit.ctx(request));
      const html = await app.view('console/board-body', { board, actor: request.actor });
      return { html, summary: boardSummary(board) };
    },
  );
};
