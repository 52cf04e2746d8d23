import { createHmac } from 'node:crypto';
import { checkOutboundUrl, guardedRequest, type Resolver } from '../http/outbound.js';

export { systemResolver, type Resolver } from '../http/outbound.js';
/** A webhook URL that may not be called: the outbound guard's refusal. */
export { UnsafeUrl as UnsafeWebhookUrl } from '../http/outbound.js';

/**
 * Checks a webhook URL: http(s) only, no credentials, and a host that resolves to public
 * addresses only. `allowPrivate` lifts the address rule for installs whose receivers live on
 * an internal network (and for tests).
 */
export function checkWebhookUrl(raw: string, resolver: Resolver, allowPrivate: boolean): Promise<URL> {
  return checkOutboundUrl(raw, { resolver, allowPrivate });
}

/** The signature header: HMAC-SHA256 of the exact body bytes under the webhook's secret. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookPost {
  url: string;
  secret: string;
  body: string;
  event: string;
  deliveryId: string;
}

export interface PostOptions {
  resolver: Resolver;
  allowPrivate: boolean;
  timeoutMs: number;
}

/**
 * A receiver's refusal. `retryAfter`: a 429's Retry-After header as sent, so the next try
 * honours it (read against the worker's clock).
 */
export class DeliveryRefused extends Error {
  constructor(
    message: string,
    readonly retryAfter?: string,
  ) {
    super(message);
  }
}

/** POSTs one signed Statuspage-shaped event to a webhook subscriber. */
export function postWebhook(post: WebhookPost, options: PostOptions): Promise<void> {
  return postJson(
    post.url,
    post.body,
    {
      'user-agent': 'Heliograph-Webhook/1',
      'x-heliograph-event': post.event,
      'x-heliograph-delivery': post.deliveryId,
      'x-heliograph-signature': signWebhook(post.body, post.secret),
    },
    options,
    'webhook',
  );
}

/**
 * POSTs a JSON body; resolves on a 2xx. The address is checked again at connect time, on the
 * very address the socket uses (guardedRequest): a host that resolved to a public address at
 * registration may point inward later (DNS rebinding). `what` names the receiver in errors
 * ("webhook", "slack").
 *
 * The whole exchange has one deadline, `timeoutMs`, and only the answer's status and the start
 * of a refusal are read: a receiver that trickles an endless body cannot hold the worker's slot.
 */
export function postJson(target: string, body: string, headers: Record<string, string>, options: PostOptions, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = guardedRequest(
      new URL(target),
      {
        method: 'POST',
        timeout: options.timeoutMs,
        headers: { 'content-type': 'application/json', ...headers },
      },
      options,
    );
    const deadline = setTimeout(() => request.destroy(new Error(`${what} did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    const settle = (error?: Error) => {
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    };
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        settle();
        response.destroy();
        return;
      }
      // The start of the answer says why (Slack's `invalid_blocks`, Discord's field errors).
      let said = '';
      const refuse = () => {
        const retryAfter = status === 429 ? response.headers['retry-after'] : undefined;
        const why = said.trim().replace(/\s+/g, ' ').slice(0, 300);
        settle(new DeliveryRefused(`${what} answered HTTP ${status}${why ? `: ${why}` : ''}`, retryAfter));
        response.destroy();
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        said += chunk;
        if (said.length >= 300) refuse();
      });
      response.on('end', refuse);
      response.on('error', refuse);
    });
    request.on('timeout', () => request.destroy(new Error(`${what} did not answer within ${options.timeoutMs} ms`)));
    request.on('error', (error) => settle(error));
    request.end(body);
  });
}
