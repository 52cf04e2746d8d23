import { describe, expect, it } from 'vitest';
import { effectiveSettings } from '../../../src/modules/settings/effective.js';
import type { SettingsRow } from '../../../src/modules/settings/settings.repo.js';

const defaults = { pageName: 'Env Status', timeZone: 'UTC', defaultLanguage: 'en' as const };
const row = (values: Partial<SettingsRow>): SettingsRow => ({
  id: 1,
  pageName: null,
  timeZone: null,
  defaultLanguage: null,
  accentColour: null,
  supportUrl: null,
  footerLinks: null,
  customCss: null,
  logoUrl: null,
  updatedAt: new Date('2026-12-01T00:00:00Z'),
  ...values,
});

describe('effective settings', () => {
  it('are the defaults when nothing is stored, with no theme stylesheet', () => {
    expect(effectiveSettings(defaults, null, [])).toMatchObject({ ...defaults, footerLinks: [], logo: null, favicon: null, themeUrl: null, customCss: null });
  });

  it('take stored values over the defaults, field by field', () => {
    const s = effectiveSettings(defaults, row({ pageName: 'Acme', defaultLanguage: 'ja' }), []);
    expect(s).toMatchObject({ pageName: 'Acme', timeZone: 'UTC', defaultLanguage: 'ja' });
  });

  it('fall back to the default language when a stored one is no longer shipped', () => {
    expect(effectiveSettings(defaults, row({ defaultLanguage: 'xx' }), []).defaultLanguage).toBe('en');
  });

  it('link an uploaded image under its hash, over a logo URL', () => {
    const s = effectiveSettings(defaults, row({ logoUrl: '/favicon.svg' }), [{ kind: 'logo', contentType: 'image/png', hash: 'abc123' }]);
    expect(s.logo).toEqual({ url: '/brand/logo.png?v=abc123', contentType: 'image/png' });
    expect(effectiveSettings(defaults, row({ logoUrl: '/favicon.svg' }), []).logo).toEqual({ url: '/favicon.svg', contentType: null });
  });

  it('version the theme stylesheet by the accent and the custom CSS', () => {
    const a = effectiveSettings(defaults, row({ customCss: 'a{}' }), []);
    const b = effectiveSettings(defaults, row({ customCss: 'b{}' }), []);
    const c = effectiveSettings(defaults, row({ customCss: 'a{}', accentColour: '#6f42c1' }), []);
    expect(new Set([a.themeUrl, b.themeUrl, c.themeUrl]).size).toBe(3);
    expect(a.themeUrl).toMatch(/^\/theme\.css\?v=[0-9a-f]{12}$/);
  });
});
