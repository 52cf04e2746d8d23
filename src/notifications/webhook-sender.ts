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

/**
 * POSTs one event. The address is checked again at connect time, on the very address the socket
 * uses: a host that resolved to a public address at registration may point inward later (DNS
 * rebinding).
 */
export function postWebhook(post: WebhookPost, options: { resolver: Resolver; allowPrivate: boolean; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = guardedRequest(
      new URL(post.url),
      {
        method: 'POST',
        timeout: options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Heliograph-Webhook/1',
          'x-heliograph-event': post.event,
          'x-heliograph-delivery': post.deliveryId,
          'x-heliograph-signature': signWebhook(post.body, post.secret),
        },
      },
      options,
    );
    request.on('response', (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve();
      else reject(new Error(`webhook answered HTTP ${status}`));
    });
    request.on('timeout', () => request.destroy(new Error(`webhook did not answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(post.body);
  });
}
