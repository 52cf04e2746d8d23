import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const env = (vars: Record<string, string | undefined> = {}) => ({ JWT_SECRET: 's'.repeat(32), ...vars });

describe('loadConfig: notifications', () => {
  it('runs the worker in the server by default, with bounded retries', () => {
    expect(loadConfig(env())).toMatchObject({
      worker: true,
      workerConcurrency: 16,
      workerPollMs: 1000,
      deliveryLeaseSeconds: 20,
      deliveryMaxAttempts: 8,
      deliveryRetrySeconds: 30,
      subscribeRateLimit: 10,
      webhookAllowPrivate: false,
      mailFrom: 'Heliograph <status@localhost>',
    });
    expect(loadConfig(env()).smtpUrl).toBeUndefined();
  });

  it('reads the environment, and an option wins over it', () => {
    const config = loadConfig(
      env({
        WORKER: 'off',
        WORKER_CONCURRENCY: '4',
        WORKER_POLL_MS: '250',
        DELIVERY_LEASE_SECONDS: '30',
        DELIVERY_MAX_ATTEMPTS: '3',
        DELIVERY_RETRY_SECONDS: '5',
        SUBSCRIBE_RATE_LIMIT: '100',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        SMTP_URL: 'smtp://mail.example.test:587',
        MAIL_FROM: 'Acme <status@acme.test>',
      }),
      { workerConcurrency: 8 },
    );
    expect(config).toMatchObject({
      worker: false,
      workerConcurrency: 8,
      workerPollMs: 250,
      deliveryLeaseSeconds: 30,
      deliveryMaxAttempts: 3,
      deliveryRetrySeconds: 5,
      subscribeRateLimit: 100,
      webhookAllowPrivate: true,
      smtpUrl: 'smtp://mail.example.test:587',
      mailFrom: 'Acme <status@acme.test>',
    });
    expect(loadConfig(env({ WORKER: '' })).worker).toBe(true);
    expect(loadConfig(env({ WORKER: 'on' })).worker).toBe(true);
  });

  it('refuses nonsense', () => {
    expect(() => loadConfig(env({ WORKER_CONCURRENCY: '0' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ DELIVERY_MAX_ATTEMPTS: 'many' }))).toThrow(ConfigError);
  });
});
