import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const secret = { JWT_SECRET: 'x'.repeat(32) };

describe('MAINTENANCE_TICK_SECONDS', () => {
  it('defaults to 30 s, takes the environment, and the option over both', () => {
    expect(loadConfig(secret).maintenanceTickSeconds).toBe(30);
    expect(loadConfig({ ...secret, MAINTENANCE_TICK_SECONDS: '0' }).maintenanceTickSeconds).toBe(0);
    expect(loadConfig({ ...secret, MAINTENANCE_TICK_SECONDS: '5' }, { maintenanceTickSeconds: 7 }).maintenanceTickSeconds).toBe(7);
    expect(loadConfig({ ...secret, MAINTENANCE_TICK_SECONDS: '' }).maintenanceTickSeconds).toBe(30);
  });
  it('refuses what is not a whole number of seconds', () => {
    expect(() => loadConfig({ ...secret, MAINTENANCE_TICK_SECONDS: 'often' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...secret, MAINTENANCE_TICK_SECONDS: '-1' })).toThrow(ConfigError);
  });
});
