import type { FooterLink } from '../../db/schema/page-settings.js';
import type { EffectiveSettings, PageSettingsView, UpdateSettingsInput } from '../../modules/settings/index.js';
import type { FieldErrors } from './forms.js';

/** The settings form's text fields, as typed (an empty one means "the default"). */
export interface SettingsValues {
  pageName: string;
  timeZone: string;
  defaultLanguage: string;
  accentColour: string;
  supportUrl: string;
  footerLinks: string;
  customCss: string;
  logoUrl: string;
}

type Upload = Buffer | undefined;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** The form's values for what is stored now: footer links one per line, `Label | URL`. */
export function settingsValues(view: PageSettingsView): SettingsValues {
  return {
    pageName: view.pageName ?? '',
    timeZone: view.timeZone ?? '',
    defaultLanguage: view.defaultLanguage ?? '',
    accentColour: view.accentColour ?? '',
    supportUrl: view.supportUrl ?? '',
    footerLinks: view.footerLinks.map((l) => `${l.label} | ${l.url}`).join('\n'),
    customCss: view.customCss ?? '',
    logoUrl: view.logo && view.logo.contentType === null ? view.logo.url : '',
  };
}

function footerLinks(text: string): FooterLink[] | string {
  const links: FooterLink[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const bar = line.indexOf('|');
    const label = bar < 0 ? '' : line.slice(0, bar).trim();
    const url = bar < 0 ? '' : line.slice(bar + 1).trim();
    if (!label || !url) return `Write each link on its own line as Label | URL ("${line.slice(0, 40)}" is not).`;
    links.push({ label, url });
  }
  return links;
}

/** An uploaded file's type, by its first bytes: a browser's guess at the type is not to be trusted. */
const uploadOf = (bytes: Buffer) => ({ contentType: bytes.subarray(0, 4).equals(PNG_SIGNATURE) ? ('image/png' as const) : ('image/svg+xml' as const), data: bytes.toString('base64') });

/**
 * The admin API's input for what the form sent: every text field is set (empty: back to the
 * default); an image changes only when a file is chosen or its removal is ticked.
 */
export function settingsInput(
  values: SettingsValues,
  files: { logo: Upload; favicon: Upload },
  remove: { logo: boolean; favicon: boolean },
): { input: UpdateSettingsInput; errors: FieldErrors } {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  const links = footerLinks(values.footerLinks);
  const input: UpdateSettingsInput = {
    pageName: text(values.pageName),
    timeZone: text(values.timeZone),
    defaultLanguage: text(values.defaultLanguage) as UpdateSettingsInput['defaultLanguage'],
    accentColour: text(values.accentColour),
    supportUrl: text(values.supportUrl),
    footerLinks: typeof links === 'string' ? [] : links,
    customCss: values.customCss.trim() === '' ? null : values.customCss,
  };
  if (files.logo?.length) input.logo = uploadOf(files.logo);
  else if (remove.logo) input.logo = null;
  else if (text(values.logoUrl)) input.logo = { url: values.logoUrl.trim() };
  if (files.favicon?.length) input.favicon = uploadOf(files.favicon);
  else if (remove.favicon) input.favicon = null;
  return { input, errors: typeof links === 'string' ? { footerLinks: links } : {} };
}

/** What the screen shows beside the form: the defaults and the images in use. */
export function settingsSummary(view: PageSettingsView, effective: EffectiveSettings) {
  return { defaults: view.defaults, logo: effective.logo, favicon: effective.favicon, updatedAt: view.updatedAt };
}
