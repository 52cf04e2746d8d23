import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleKit } from './kit.js';

export interface Confirmation {
  title: string;
  question: string;
  /** Where the confirming form posts. */
  action: string;
  button: string;
  /** Where "Cancel" leads back to. */
  back: string;
  /** What follows from it, said under the question. */
  consequence?: string;
}

/**
 * A removal asks first on a page of its own: a link leads here, the button posts. Without
 * JavaScript there is no `confirm()`, and a stray tap on a phone must not delete anything.
 */
export function confirmPage(kit: ConsoleKit, request: FastifyRequest, reply: FastifyReply, confirmation: Confirmation) {
  return kit.page(request, reply, 'confirm', confirmation);
}
