import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from 'typebox/value';
import { Errors } from '../../core/errors.js';
import { ErrorResponse } from '../../http/schema-helpers.js';
import { containsNul } from '../../http/json-body.js';
import { requestContext } from '../context.js';
import { AlertmanagerWebhook, IngestResult } from './alertmanager.schemas.js';
import { ingestAlertmanager, type AlertSeverities } from './alertmanager.service.js';

/**
 * `/api/ingest`: machines posting alerts, with an API token of the `ingest` scope (a session or
 * a token without that scope is a 403). Drafts and notes are never public, so nothing here
 * touches the public renders.
 */
export const ingestApi: FastifyPluginAsyncTypebox<AlertSeverities> = async (app, severities) => {
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', app.authenticate);
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.body)) throw new Errors.invalid('Text must not contain the NUL character (\\u0000)');
  });

  app.post(
    '/alertmanager',
    {
      // Alert intake opens incidents: the token's creator must still be a responder at least.
      config: { tokenScope: 'ingest', apiTokensOnly: true, minRole: 'responder' },
      // Checked as sent, before the route's validator coerces types: a label that is a number or
      // a list is not something Alertmanager sends, and must not be taken for a string.
      preValidation: async (request) => {
        const [problem] = Value.Errors(AlertmanagerWebhook, request.body);
        if (problem) throw new Errors.invalid(`Invalid Alertmanager payload: ${problem.instancePath || '/'} ${problem.message}`);
      },
      schema: {
        summary: 'Take an Alertmanager webhook (opens or joins a draft incident)',
        operationId: 'ingestAlertmanager',
        tags: ['ingest'],
        body: AlertmanagerWebhook,
        response: { 200: IngestResult, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (req) => {
      const result = await ingestAlertmanager(requestContext(app, req), req.body, severities);
      // A draft's staff message is queued: sent now, not at the worker's next poll.
      if (result.action === 'opened') app.notifications.worker.wake();
      return result;
    },
  );
};
