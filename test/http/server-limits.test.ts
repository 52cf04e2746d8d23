import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { serverTimeouts } from '../../src/http/server-limits.js';

const env = (vars: Record<string, string> = {}) => ({ JWT_SECRET: 's'.repeat(32), ...vars });

describe('the HTTP server limits in the configuration', () => {
  it('have defaults', () => {
    expect(loadConfig(env())).toMatchObject({
      headersTimeoutSeconds: 10,
      requestTimeoutSeconds: 30,
      connectionTimeoutSeconds: 60,
      keepAliveTimeoutSeconds: 72,
      maxUrlLength: 2048,
      maxJsonDepth: 32,
    });
  });

  it('are read from the environment', () => {
    const config = loadConfig(
      env({
        HEADERS_TIMEOUT_SECONDS: '5',
        REQUEST_TIMEOUT_SECONDS: '20',
        CONNECTION_TIMEOUT_SECONDS: '30',
        KEEP_ALIVE_TIMEOUT_SECONDS: '65',
        MAX_URL_LENGTH: '4096',
        MAX_JSON_DEPTH: '16',
      }),
    );
    expect(config).toMatchObject({
      headersTimeoutSeconds: 5,
      requestTimeoutSeconds: 20,
      connectionTimeoutSeconds: 30,
      keepAliveTimeoutSeconds: 65,
      maxUrlLength: 4096,
      maxJsonDepth: 16,
    });
  });

  it('refuse a headers timeout longer than the request timeout, and a zero timeout', () => {
    expect(() => loadConfig(env({ HEADERS_TIMEOUT_SECONDS: '40' }))).toThrow(ConfigError);
    // 0 would mean "no timeout" to Node: exactly what these settings exist to prevent.
    expect(() => loadConfig(env({ REQUEST_TIMEOUT_SECONDS: '0' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ CONNECTION_TIMEOUT_SECONDS: '0' }))).toThrow(ConfigError);
  });

  it('cut off a request trickled byte by byte within 60 s by default', () => {
    const options = serverTimeouts(loadConfig(env()));
    expect(options).toMatchObject({ requestTimeout: 30_000, connectionTimeout: 60_000, keepAliveTimeout: 72_000 });
    expect(options.http).toMatchObject({ headersTimeout: 10_000, requestTimeout: 30_000 });
    // Node looks at the timeouts once per checking interval: the cut can come that much late.
    const latest = options.requestTimeout + options.http.connectionsCheckingInterval!;
    expect(latest).toBeLessThanOrEqual(60_000);
  });

  it('check short timeouts often enough to keep them', () => {
    const options = serverTimeouts({ headersTimeoutSeconds: 1, requestTimeoutSeconds: 1, connectionTimeoutSeconds: 1, keepAliveTimeoutSeconds: 1 });
    expect(options.http.connectionsCheckingInterval).toBe(500);
  });
});
