import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { dueForRenewal, heartbeatIntervalMs, leaseEnd } from '../domain/delivery-lease.js';
import { afterFailure, retryAfterMs, type RetryPolicy } from '../domain/delivery-retry.js';
import { DIRECT_MAIL, SUBSCRIBER_CONFIRMATION } from '../domain/notification-vocabulary.js';
import { createPeriodicTask, type PeriodicTask } from '../jobs/periodic-task.js';
import * as deliveries from './deliveries.repo.js';
import type { ClaimedDelivery } from './deliveries.repo.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { confirmationMail } from './messages/confirmation.js';
import { isLanguage, type Language } from '../domain/languages.js';
import { pathIn } from '../i18n/page-language.js';
import { translator } from '../i18n/translator.js';
import type { Site } from '../core/site.js';
import { withUnsubscribe } from './messages/mail-layout.js';
import { SubscriberTokens } from './subscriber-tokens.js';
import { withUnsubscribeLink } from '../statuspage/webhooks.js';
import { DeliveryRefused, postWebhook, type Resolver } from './webhook-sender.js';
import { postChat } from './chat/send.js';

/** Workers started together (a deploy) drift apart rather than all polling at the same instant. */
const POLL_JITTER = 0.1;

export interface WorkerOptions {
  db: Db;
  mailer: Mailer;
  tokens: SubscriberTokens;
  site: Site;
  now: () => Date;
  /** Deliveries sent at once; also the most that can be sent twice if the process is killed. */
  concurrency: number;
  /** How long a claim lasts; renewed every third of it while the row is held. */
  leaseMs: number;
  pollMs: number;
  retry: RetryPolicy;
  webhook: { resolver: Resolver; allowPrivate: boolean; timeoutMs: number };
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}

/**
 * Sends what the outbox queued: polls (or is woken), then drains every due delivery. Any number
 * of workers may run against one database; `SKIP LOCKED` and the lease keep them apart.
 */
export class DeliveryWorker {
  private readonly poll: PeriodicTask<number>;
  /** Set by `stop()`: the drain in flight stops claiming, so a stop waits for the rows in hand, not the whole queue. */
  private closing = false;
  /**
   * Rows this worker is sending. A send slower than the lease lets the row be claimed again,
   * by this very worker too: it must not send it a second time while the first send runs.
   */
  private readonly inFlight = new Set<string>();
  /** Rows claimed and not yet recorded, with when their lease ends: what the heartbeat renews. */
  private readonly held = new Map<string, Date>();
  private renewing = false;
  private readonly host: string;

  constructor(private readonly options: WorkerOptions) {
    this.host = new URL(options.site.publicUrl).hostname || 'heliograph.invalid';
    this.poll = createPeriodicTask({
      name: 'delivery worker',
      intervalMs: options.pollMs,
      jitterRatio: POLL_JITTER,
      run: () => this.drain(),
      onError: (err) => options.log.error({ err }, 'delivery worker round failed'),
    });
  }

  /** Polls until `stop()`; `wake()` makes it look at once (after a local write). */
  start(): void {
    if (this.poll.started) return;
    this.closing = false;
    this.poll.start();
    // What was queued while no worker ran goes out now, not a poll later.
    this.poll.wake();
  }

  /** Resolves once the sends in flight are recorded and the rows not started are released. */
  async stop(): Promise<void> {
    this.closing = true;
    await this.poll.stop();
  }

  wake(): void {
    this.poll.wake();
  }

  /**
   * Sends until nothing is due; returns how many deliveries were tried. `concurrency` slots each
   * take a claimed row, send it and wait until its outcome is committed before taking the next:
   * so at most `concurrency` mails are ever sent and not yet recorded, the most a crash can
   * send twice. Outcomes are recorded in groups (whatever completed while the last write ran),
   * and the next rows are claimed while the current ones are sent. While it runs, a heartbeat
   * renews the lease of every row it holds; once `stop()` is called, no slot starts a new send
   * and the rows claimed but not started are released to the next worker.
   */
  async drain(): Promise<number> {
    const { db, now, leaseMs, concurrency } = this.options;
    const queue: ClaimedDelivery[] = [];
    let claiming: Promise<void> | null = null;
    let exhausted = false;
    let tried = 0;

    const refill = () => {
      claiming ??= (async () => {
        const at = now();
        const until = leaseEnd(at, leaseMs);
        // Twice the slots: half as many claims. Claimed rows not yet sent cannot be sent twice.
        const rows = await deliveries.claimDue(db, at, until, concurrency * 2);
        if (rows.length === 0 || this.closing) exhausted = true;
        for (const row of rows) this.held.set(row.id, until);
        queue.push(...rows.filter((row) => !this.inFlight.has(row.id) && !queue.some((queued) => queued.id === row.id)));
      })().finally(() => {
        claiming = null;
      });
      return claiming;
    };
    const next = async (): Promise<ClaimedDelivery | null> => {
      for (;;) {
        // Stopping: the sends in flight finish, nothing new starts.
        if (this.closing) return null;
        // Claim ahead: the next rows are on their way before the slots run dry.
        if (queue.length < concurrency && !exhausted) void refill().catch(() => {});
        const row = queue.shift();
        if (row) return row;
        if (exhausted) return null;
        await refill();
      }
    };

    const recorder = new SentRecorder((rows) => deliveries.markSent(db, rows, now()));
    const slot = async () => {
      for (let row = await next(); row; row = await next()) {
        tried += 1;
        this.inFlight.add(row.id);
        try {
          const via = await this.send(row);
          if (via === null) await deliveries.markSkipped(db, row.id, 'nothing to send', now());
          else await recorder.record({ id: row.id, via });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          // A receiver that said when to come back (a 429's Retry-After) is not tried before.
          const notBefore = err instanceof DeliveryRefused ? retryAfterMs(err.retryAfter, now()) : 0;
          const outcome = afterFailure(row.attempts + 1, now(), this.options.retry, notBefore);
          if (outcome.status === 'dead') this.options.log.warn({ deliveryId: row.id, err: message }, 'delivery gave up');
          await deliveries.markFailed(db, row.id, outcome, message, now());
        } finally {
          this.inFlight.delete(row.id);
          this.held.delete(row.id);
        }
      }
    };

    const heartbeat = setInterval(() => void this.renewLeases(), heartbeatIntervalMs(leaseMs));
    // The heartbeat never keeps a process alive on its own.
    heartbeat.unref();
    try {
      // Settled, not raced: a slot that fails must not stop the heartbeat under the others.
      const slots = await Promise.allSettled(Array.from({ length: concurrency }, slot));
      await (claiming as Promise<void> | null)?.catch(() => {});
      await this.release(queue.splice(0).map((row) => row.id));
      const failed = slots.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      clearInterval(heartbeat);
    }
    return tried;
  }

  /**
   * The heartbeat: renews the rows held whose lease is a third gone. Public so a test can beat
   * on its own clock; a failed beat is logged and the next one tries again (two can be missed
   * before the lease runs out).
   */
  async renewLeases(): Promise<number> {
    if (this.renewing) return 0;
    this.renewing = true;
    try {
      const { db, now, leaseMs } = this.options;
      const at = now();
      const ids = dueForRenewal(this.held, at, leaseMs);
      if (ids.length === 0) return 0;
      const until = leaseEnd(at, leaseMs);
      const renewed = await deliveries.renewLeases(db, ids, until);
      for (const id of ids) if (this.held.has(id)) this.held.set(id, until);
      return renewed;
    } catch (err) {
      this.options.log.warn({ err }, 'could not renew the lease of the deliveries in hand');
      return 0;
    } finally {
      this.renewing = false;
    }
  }

  /** Hands claimed rows that were never started back to the queue, due at once. */
  private async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.held.delete(id);
    try {
      await deliveries.releaseLeases(this.options.db, ids, this.options.now());
    } catch (err) {
      // Not lost: their lease runs out on its own.
      this.options.log.warn({ err, count: ids.length }, 'could not release claimed deliveries; they are retried when their lease ends');
    }
  }

  /** Sends one delivery; returns how (`smtp`, `log`, `http`, the chat platform), or null if there was nothing to send. */
  private async send(delivery: ClaimedDelivery): Promise<string | null> {
    const { notification } = delivery;
    if (delivery.channel === 'chat') return postChat(delivery, this.options.site, this.options.webhook);
    if (delivery.channel === 'webhook') {
      const { webhook } = delivery;
      if (!webhook) return null;
      const nonce =
        webhook.unsubscribeNonce ?? (await deliveries.issueWebhookUnsubscribe(this.options.db, webhook.id, this.options.tokens.issue('unsubscribe', webhook.id)));
      await postWebhook(
        {
          url: webhook.url,
          secret: webhook.secret,
          // Each receiver's own one-click link, as each mail carries its reader's.
          body: JSON.stringify(withUnsubscribeLink(notification.webhookPayload ?? {}, this.unsubscribeUrl(webhook.id, nonce))),
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

  /** One link for email and webhook subscribers alike: `/unsubscribe/:token` looks in both. */
  private unsubscribeUrl(subscriberId: string, nonce: string): string {
    return `${this.options.site.publicUrl}/unsubscribe/${this.options.tokens.token('unsubscribe', subscriberId, nonce)}`;
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
    // The language the subscriber subscribed from; one recorded before languages were is English.
    const lang: Language = subscriber.language !== null && isLanguage(subscriber.language) ? subscriber.language : 'en';
    // Links name the subscriber's language unless it is the page's own.
    const pageLanguage: Language = site.defaultLanguage ?? 'en';
    if (notification.kind === SUBSCRIBER_CONFIRMATION) {
      // Confirmed or re-issued since: this link would not work any more.
      if (!subscriber.confirmNonce) return null;
      const token = tokens.token('confirm', subscriber.id, subscriber.confirmNonce);
      const content = confirmationMail(
        {
          pageName: site.pageName,
          email: subscriber.email,
          confirmUrl: pathIn(`${site.publicUrl}/subscribe/confirm/${token}`, lang, pageLanguage),
          pageUrl: pathIn(`${site.publicUrl}/`, lang, pageLanguage),
        },
        translator(lang),
      );
      return { to: subscriber.email, ...content, messageId };
    }
    const unsubscribeUrl = this.unsubscribeUrl(subscriber.id, subscriber.unsubscribeNonce);
    // A subscriber gets the mail of their language when it was written in it, the English one otherwise.
    const mail = notification.localizedMail ?? { subject: notification.subject, text: notification.text, html: notification.html };
    const body = withUnsubscribe(
      { text: mail.text, html: mail.html },
      { pageName: site.pageName, unsubscribeUrl: pathIn(unsubscribeUrl, lang, pageLanguage) },
      translator(notification.localizedMail ? lang : 'en'),
    );
    return {
      to: subscriber.email,
      subject: mail.subject,
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

/**
 * Group commit of "sent" marks: every row that completes while a write is running goes into the
 * next write, so a fan-out costs one UPDATE per group, not one per mail.
 */
class SentRecorder {
  private pending: Array<{ row: { id: string; via: string }; done: () => void; fail: (e: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly write: (rows: Array<{ id: string; via: string }>) => Promise<void>) {}

  record(row: { id: string; via: string }): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.push({ row, done, fail });
      if (!this.writing) void this.flush();
    });
  }

  private async flush() {
    this.writing = true;
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      try {
        await this.write(group.map((g) => g.row));
        for (const g of group) g.done();
      } catch (error) {
        for (const g of group) g.fail(error);
      }
    }
    this.writing = false;
  }
}
