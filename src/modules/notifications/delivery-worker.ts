import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { afterFailure, type RetryPolicy } from '../../domain/delivery-retry.js';
import { DIRECT_MAIL, SUBSCRIBER_CONFIRMATION } from '../../domain/notification-vocabulary.js';
import * as deliveries from './deliveries.repo.js';
import type { ClaimedDelivery } from './deliveries.repo.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { confirmationMail } from './messages/confirmation.js';
import type { SiteInfo } from './messages/incident-update.js';
import { withUnsubscribe } from './messages/mail-layout.js';
import { SubscriberTokens } from './subscriber-tokens.js';
import { postWebhook, type Resolver } from './webhook-sender.js';

export interface WorkerOptions {
  db: Db;
  mailer: Mailer;
  tokens: SubscriberTokens;
  site: SiteInfo;
  now: () => Date;
  /** Deliveries sent at once; also the most that can be sent twice if the process is killed. */
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  retry: RetryPolicy;
  webhook: { resolver: Resolver; allowPrivate: boolean; timeoutMs: number };
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}

/**
 * Sends what the outbox queued. Each round claims at most `concurrency` due deliveries, sends
 * them in parallel and records the outcomes, so at any moment no more than `concurrency` mails
 * are sent but not yet marked. Any number of workers may run against one database.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;
  private closing = false;
  private readonly host: string;

  constructor(private readonly options: WorkerOptions) {
    this.host = new URL(options.site.publicUrl).hostname || 'heliograph.invalid';
  }

  /** Polls until `stop()`; `wake()` makes it look at once (after a local write). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closing = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain()
        .then(() => undefined)
        .catch((err: unknown) => this.options.log.error({ err }, 'delivery worker round failed'))
        .finally(() => {
          this.running = null;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedule(again ? 0 : this.options.pollMs);
        });
    }, delay);
    this.timer.unref();
  }

  /** Sends until nothing is due. Returns how many deliveries were tried. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const tried = await this.runOnce();
      total += tried;
      // `stop()` waits for the round in progress only, not for the whole queue.
      if (tried === 0 || this.closing) return total;
    }
  }

  /** One round: claim, send, record. Returns how many deliveries it tried. */
  async runOnce(): Promise<number> {
    const { db, now, leaseMs, concurrency } = this.options;
    const start = now();
    const claimed = await deliveries.claimDue(db, start, new Date(start.getTime() + leaseMs), concurrency);
    if (claimed.length === 0) return 0;
    const sent: Array<{ id: string; via: string }> = [];
    await Promise.all(
      claimed.map(async (delivery) => {
        try {
          const via = await this.send(delivery);
          if (via === null) await deliveries.markSkipped(db, delivery.id, 'nothing to send', now());
          else sent.push({ id: delivery.id, via });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const outcome = afterFailure(delivery.attempts + 1, now(), this.options.retry);
          if (outcome.status === 'dead') this.options.log.warn({ deliveryId: delivery.id, err: message }, 'delivery gave up');
          await deliveries.markFailed(db, delivery.id, outcome, message, now());
        }
      }),
    );
    await deliveries.markSent(db, sent, now());
    return claimed.length;
  }

  /** Sends one delivery; returns how (`smtp`, `log`, `http`), or null if there was nothing to send. */
  private async send(delivery: ClaimedDelivery): Promise<string | null> {
    const { notification } = delivery;
    if (delivery.channel === 'webhook') {
      if (!delivery.webhook) return null;
      await postWebhook(
        {
          url: delivery.webhook.url,
          secret: delivery.webhook.secret,
          body: JSON.stringify(notification.webhookPayload ?? {}),
          event: notification.kind,
          deliveryId: delivery.id,
        },
        this.options.webhook,
      );
      return 'http';
    }
    const mail = this.composeMail(delivery);
    if (!mail) return null;
    await this.options.mailer.send(mail);
    return this.options.mailer.via;
  }

  private composeMail(delivery: ClaimedDelivery): OutgoingMail | null {
    const { notification, subscriber } = delivery;
    const { site, tokens } = this.options;
    // The same delivery always carries the same Message-ID: a resend after a crash is a duplicate
    // any mail client can recognise.
    const messageId = `<${notification.id}.${delivery.id}@${this.host}>`;
    if (notification.kind === DIRECT_MAIL || !subscriber) {
      if (!delivery.recipient) return null;
      return { to: delivery.recipient, subject: notification.subject, text: notification.text, html: notification.html, messageId };
    }
    if (notification.kind === SUBSCRIBER_CONFIRMATION) {
      // Confirmed or re-issued since: this link would not work any more.
      if (!subscriber.confirmNonce) return null;
      const token = tokens.token('confirm', subscriber.id, subscriber.confirmNonce);
      const content = confirmationMail({
        pageName: site.pageName,
        email: subscriber.email,
        confirmUrl: `${site.publicUrl}/subscribe/confirm/${token}`,
        pageUrl: `${site.publicUrl}/`,
      });
      return { to: subscriber.email, ...content, messageId };
    }
    const unsubscribeUrl = `${site.publicUrl}/unsubscribe/${tokens.token('unsubscribe', subscriber.id, subscriber.unsubscribeNonce)}`;
    const body = withUnsubscribe(
      { text: notification.text, html: notification.html },
      { pageName: site.pageName, unsubscribeUrl, scope: 'status updates' },
    );
    return {
      to: subscriber.email,
      subject: notification.subject,
      ...body,
      messageId,
      headers: {
        // RFC 8058 one-click: mail clients POST to the link, no page to visit.
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
  }
}

/** A worker configured from `Config`: the server's in-process worker and `npm run worker` alike. */
export function createWorker(
  config: Config,
  deps: Pick<WorkerOptions, 'db' | 'mailer' | 'tokens' | 'site' | 'now' | 'log'> & { resolver: Resolver },
): DeliveryWorker {
  return new DeliveryWorker({
    ...deps,
    concurrency: config.workerConcurrency,
    leaseMs: config.deliveryLeaseSeconds * 1000,
    pollMs: config.workerPollMs,
    retry: { maxAttempts: config.deliveryMaxAttempts, baseDelayMs: config.deliveryRetrySeconds * 1000, maxDelayMs: 3_600_000 },
    webhook: { resolver: deps.resolver, allowPrivate: config.webhookAllowPrivate, timeoutMs: 10_000 },
  });
}
