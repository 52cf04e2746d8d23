import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryRefused, postJson, systemResolver } from '../../src/notifications/webhook-sender.js';

/**
 * A receiver that answers at once and then trickles its body for ever must not hold the
 * sender: only the status and the start of a refusal are read, and the connection is closed.
 */
describe('postJson against a receiver that never finishes its answer', () => {
  let server: http.Server | undefined;
  afterEach(() => server?.closeAllConnections());

  /** A receiver answering `status`, then a byte every 20 ms; resolves `closed` when the sender hangs up. */
  async function trickling(status: number) {
    let closed!: () => void;
    const hungUp = new Promise<void>((resolve) => (closed = resolve));
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.write('x'.repeat(100));
      const drip = setInterval(() => res.write('x'), 20);
      res.on('close', () => {
        clearInterval(drip);
        closed();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    return { url, hungUp };
  }

  const options = { resolver: systemResolver, allowPrivate: true, timeoutMs: 30_000 };

  it('takes a 2xx as delivered and hangs up, without reading the body', async () => {
    const { url, hungUp } = await trickling(200);
    await expect(postJson(url, '{}', {}, options, 'webhook')).resolves.toBeUndefined();
    await hungUp;
  });

  it('refuses with the status and the start of the answer, then hangs up', async () => {
    const { url, hungUp } = await trickling(500);
    const refused = postJson(url, '{}', {}, options, 'slack');
    await expect(refused).rejects.toBeInstanceOf(DeliveryRefused);
    await expect(refused).rejects.toThrow(/^slack answered HTTP 500: x{100}/);
    await hungUp;
  });
});
