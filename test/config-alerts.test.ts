import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const env = (vars: Record<string, string | undefined> = {}) => ({ JWT_SECRET: 's'.repeat(32), ...vars });

describe('alert severity configuration', () => {
  it('defaults to critical P1, warning P2, info P3, and P2 for anything else', () => {
    const config = loadConfig(env());
    expect(config.alertSeverityMap).toEqual({ critical: 'P1', warning: 'P2', info: 'P3' });
    expect(config.alertDefaultSeverity).toBe('P2');
  });

  it('reads ALERT_SEVERITY_MAP and ALERT_DEFAULT_SEVERITY; empty is unset', () => {
    const config = loadConfig(env({ ALERT_SEVERITY_MAP: 'page:P0,critical:P1,ticket:P3', ALERT_DEFAULT_SEVERITY: 'p3' }));
    expect(config.alertSeverityMap).toEqual({ page: 'P0', critical: 'P1', ticket: 'P3' });
    expect(config.alertDefaultSeverity).toBe('P3');
    expect(loadConfig(env({ ALERT_SEVERITY_MAP: ' ', ALERT_DEFAULT_SEVERITY: '' })).alertDefaultSeverity).toBe('P2');
  });

  it('an option wins over the environment', () => {
    const config = loadConfig(env({ ALERT_SEVERITY_MAP: 'critical:P1' }), { alertSeverityMap: { critical: 'P0' } });
    expect(config.alertSeverityMap).toEqual({ critical: 'P0' });
  });

  it('refuses a malformed map or severity instead of mapping alerts wrongly', () => {
    expect(() => loadConfig(env({ ALERT_SEVERITY_MAP: 'critical=P1' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ ALERT_SEVERITY_MAP: 'critical:P5' }))).toThrow(/ALERT_SEVERITY_MAP/);
    expect(() => loadConfig(env({ ALERT_DEFAULT_SEVERITY: 'high' }))).toThrow(ConfigError);
  });
});
