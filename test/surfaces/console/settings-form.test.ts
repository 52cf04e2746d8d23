import { describe, expect, it } from 'vitest';
import { settingsInput, settingsValues } from '../../../src/surfaces/console/settings-form.js';

const EMPTY = { pageName: '', timeZone: '', defaultLanguage: '', accentColour: '', supportUrl: '', footerLinks: '', customCss: '', logoUrl: '' };
const NO_FILES = { logo: undefined, favicon: undefined };
const KEEP = { logo: false, favicon: false };

describe('the settings form', () => {
  it('turns empty fields into "back to the default" and leaves images alone', () => {
    const { input, errors } = settingsInput(EMPTY, NO_FILES, KEEP);
    expect(errors).toEqual({});
    expect(input).toEqual({ pageName: null, timeZone: null, defaultLanguage: null, accentColour: null, supportUrl: null, footerLinks: [], customCss: null });
  });

  it('reads footer links one a line as Label | URL, and says which line is not', () => {
    const { input } = settingsInput({ ...EMPTY, footerLinks: 'Home | https://example.test/\r\n\r\n Docs|/history ' }, NO_FILES, KEEP);
    expect(input.footerLinks).toEqual([{ label: 'Home', url: 'https://example.test/' }, { label: 'Docs', url: '/history' }]);
    expect(settingsInput({ ...EMPTY, footerLinks: 'Home https://example.test/' }, NO_FILES, KEEP).errors.footerLinks).toContain('"Home https://example.test/" is not');
  });

  it('takes an image’s type from its bytes, not from the browser, and removes one only when asked', () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const { input } = settingsInput(EMPTY, { logo: png, favicon: Buffer.from('<svg/>') }, KEEP);
    expect(input.logo).toEqual({ contentType: 'image/png', data: png.toString('base64') });
    expect(input.favicon).toMatchObject({ contentType: 'image/svg+xml' });
    expect(settingsInput(EMPTY, NO_FILES, { logo: true, favicon: true }).input).toMatchObject({ logo: null, favicon: null });
    expect(settingsInput({ ...EMPTY, logoUrl: '/favicon.svg' }, NO_FILES, KEEP).input.logo).toEqual({ url: '/favicon.svg' });
  });

  it('shows what is stored, a logo URL but not an uploaded logo’s', () => {
    const view = {
      pageName: 'Acme', timeZone: null, defaultLanguage: 'de' as const, accentColour: null, supportUrl: null, customCss: null, updatedAt: null,
      footerLinks: [{ label: 'Home', url: '/' }], favicon: null,
      logo: { url: '/brand/logo.png?v=1', contentType: 'image/png' as const },
      defaults: { pageName: 'Env', timeZone: 'UTC', defaultLanguage: 'en' as const },
    };
    expect(settingsValues(view)).toMatchObject({ pageName: 'Acme', defaultLanguage: 'de', footerLinks: 'Home | /', logoUrl: '' });
    expect(settingsValues({ ...view, logo: { url: '/favicon.svg', contentType: null } }).logoUrl).toBe('/favicon.svg');
  });
});
