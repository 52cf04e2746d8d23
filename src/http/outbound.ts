import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from '../domain/network-ranges.js';

/**
 * Requests this server makes to addresses other people chose (webhook receivers, other status
 * pages): they must never reach the network it runs in (SSRF). Every connection checks the very
 * address its socket uses, so a host that resolved to a public address when it was entered and
 * points inward later (DNS rebinding) is refused too.
 */

/** Resolves a host name to its addresses (a stub in tests). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export class UnsafeUrl extends Error {}

/** Who may be reached: how names resolve, and whether private addresses may (internal receivers, tests). */
export interface OutboundPolicy {
  resolver: Resolver;
  allowPrivate: boolean;
}

const literalHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');
const isLiteral = (host: string) => /^[\d.]+$|:/.test(host);

/**
 * Checks a URL someone enters: http(s) only, no credentials, and a host that resolves to public
 * addresses only (unless the policy allows private ones).
 */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrl('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrl('must be http or https');
  if (url.username || url.password) throw new UnsafeUrl('must not carry credentials');
  if (policy.allowPrivate) return url;
  const host = literalHost(url);
  let addresses: LookupAddress[];
  try {
    addresses = isLiteral(host) ? [{ address: host, family: host.includes(':') ? 6 : 4 }] : await policy.resolver(host);
  } catch {
    throw new UnsafeUrl(`has a host that does not resolve (${host})`);
  }
  if (addresses.length === 0) throw new UnsafeUrl(`has a host that does not resolve (${host})`);
  const blocked = addresses.find((a) => !isPublicAddress(a.address));
  if (blocked) throw new UnsafeUrl(`resolves to a loopback, private or link-local address (${blocked.address})`);
  return url;
}

/** A DNS lookup for `http.request` that hands the socket only addresses the policy allows. */
function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    policy.resolver(hostname).then(
      (addresses) => {
        const usable = policy.allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
        const first = usable[0];
        if (!first) return callback(new UnsafeUrl(`${hostname} resolves to no public address`), '', 4);
        // Node asks for all addresses on some paths (autoSelectFamily) and one on others.
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        return callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}

/**
 * Starts a request to `url` through the guard: an address literal the policy refuses fails
 * before any connection, a name through the guarded lookup. A fresh connection each time (no
 * agent), so every request passes the check. Redirects are never followed: the caller sees them.
 */
export function guardedRequest(url: URL, options: http.RequestOptions, policy: OutboundPolicy): http.ClientRequest {
  const host = literalHost(url);
  if (isLiteral(host) && !policy.allowPrivate && !isPublicAddress(host)) throw new UnsafeUrl(`${host} is not a public address`);
  const client = url.protocol === 'https:' ? https : http;
  return client.request(url, { ...options, lookup: guardedLookup(policy), agent: false });
}
