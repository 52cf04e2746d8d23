import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from '../domain/network-ranges.js';

/** Resolves a host name to its addresses (a stub in tests). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export class UnsafeWebhookUrl extends Error {}

/**
 * Checks a webhook URL: http(s) only, no credentials, and a host that resolves to public
 * addresses only. `allowPrivate` lifts the address rule for installs whose receivers live on
 * an internal network (and for tests).
 */
export async function checkWebhookUrl(raw: string, resolver: Resolver, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrl('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeWebhookUrl('must be http or https');
  if (url.username || url.password) throw new UnsafeWebhookUrl('must not carry credentials');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = /^[\d.]+$|:/.test(host) ? [{ address: host, family: host.includes(':') ? 6 : 4 }] : await resolver(host);
  } catch {
    throw new UnsafeWebhookUrl(`has a host that does not resolve (${host})`);
  }
  if (addresses.length === 0) throw new UnsafeWebhookUrl(`has a host that does not resolve (${host})`);
  const blocked = addresses.find((a) => !isPublicAddress(a.address));
  if (blocked) throw new UnsafeWebhookUrl(`resolves to a loopback, private or link-local address (${blocked.address})`);
  return url;
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
 * very address the socket uses: a host that resolved to a public address at registration may
 * point inward later (DNS rebinding). `what` names the receiver in errors ("webhook", "slack").
 */
export function postJson(target: string, body: string, headers: Record<string, string>, options: PostOptions, what: string): Promise<void> {
  const url = new URL(target);
  const guardedLookup: LookupFunction = (hostname, _opts, callback) => {
    options.resolver(hostname).then(
      (addresses) => {
        const usable = options.allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
        const first = usable[0];
        if (!first) return callback(new UnsafeWebhookUrl(`${hostname} resolves to no public address`), '', 4);
        // Node asks for all addresses on some paths (autoSelectFamily) and one on others.
        if ((_opts as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        return callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (/^[\d.]+$|:/.test(literal) && !options.allowPrivate && !isPublicAddress(literal)) {
      reject(new UnsafeWebhookUrl(`${literal} is not a public address`));
      return;
    }
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup,
        // A fresh connection each time: every POST goes through the address check above.
        agent: false,
        timeout: options.timeoutMs,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          response.resume();
          resolve();
          return;
        }
        // The start of the answer says why (Slack's `invalid_blocks`, Discord's field errors).
        let said = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (said.length < 300) said += chunk;
        });
        response.on('close', () => {
          const retryAfter = status === 429 ? response.headers['retry-after'] : undefined;
          const why = said.trim().replace(/\s+/g, ' ').slice(0, 300);
          reject(new DeliveryRefused(`${what} answered HTTP ${status}${why ? `: ${why}` : ''}`, retryAfter));
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${what} did not answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
