import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const env = (vars: Record<string, string | undefined> = {}) => ({ JWT_SECRET: 's'.repeat(32), ...vars });

describe('loadConfig: followed status pages', () => {
  it('polls every minute with a 10 s answer deadline by default', () => {
    expect(loadConfig(env())).toMatchObject({ sourcePollSeconds: 60, sourcePollTimeoutSeconds: 10 });
  });

  it('reads the environment, and an option wins over it', () => {
    expect(loadConfig(env({ SOURCE_POLL_SECONDS: '0', SOURCE_POLL_TIMEOUT_SECONDS: '3' }))).toMatchObject({ sourcePollSeconds: 0, sourcePollTimeoutSeconds: 3 });
    expect(loadConfig(env({ SOURCE_POLL_SECONDS: '0' }), { sourcePollSeconds: 120 }).sourcePollSeconds).toBe(120);
  });

  it('refuses nonsense', () => {
    for (const vars of [{ SOURCE_POLL_SECONDS: '-1' }, { SOURCE_POLL_SECONDS: 'often' }, { SOURCE_POLL_TIMEOUT_SECONDS: '0' }, { SOURCE_POLL_TIMEOUT_SECONDS: '1.5' }]) {
      expect(() => loadConfig(env(vars))).toThrow(ConfigError);
    }
  });
});
