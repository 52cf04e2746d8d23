import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createWorker, type DeliveryWorker } from './delivery-worker.js';
import { createMailer, type Mailer } from './mailer.js';
import { SubscriberTokens } from './subscriber-tokens.js';
import { systemResolver, type Resolver } from './webhook-sender.js';

declare module 'fastify' {
  interface FastifyInstance {
    notifications: {
      worker: DeliveryWorker;
      tokens: SubscriberTokens;
      mailer: Mailer;
      resolver: Resolver;
      allowPrivateWebhooks: boolean;
    };
  }
}

export interface NotificationsPluginOptions {
  config: Config;
  /** Host name resolution for webhook URLs (a stub in tests). */
  resolver?: Resolver;
}

/** The mailer, the link tokens and the delivery worker; the worker runs unless `config.worker` is off. */
export default fp<NotificationsPluginOptions>(
  async (app, { config, resolver = systemResolver }) => {
    const tokens = new SubscriberTokens(config.jwtSecret);
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, maxConnections: Math.min(config.workerConcurrency, 10), log: app.log });
    const worker = createWorker(config, { db: app.db, mailer, tokens, site: app.site, now: app.now, resolver, log: app.log });
    app.decorate('notifications', { worker, tokens, mailer, resolver, allowPrivateWebhooks: config.webhookAllowPrivate });
    if (config.worker) app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => {
      await worker.stop();
      await mailer.close();
    });
  },
  { name: 'notifications', dependencies: ['database', 'context'] },
);
