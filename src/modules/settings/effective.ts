import { createHash } from 'node:crypto';
import type { FooterLink } from '../../db/schema/page-settings.js';
import { isLanguage, type Language } from '../../domain/languages.js';
import type { ImageRef, SettingsRow } from './settings.repo.js';

/** What applies where nothing is stored: the configuration's values (PAGE_NAME, TZ_DISPLAY, DEFAULT_LANGUAGE). */
export interface SettingsDefaults {
  pageName: string;
  timeZone: string;
  defaultLanguage: Language;
}

/** A file the page links, under a URL that changes with its bytes. */
export interface Linked {
  url: string;
  contentType: ImageRef['contentType'] | null;
}

/** The settings in force: stored values over the defaults, and where the page finds its files. */
export interface EffectiveSettings extends SettingsDefaults {
  accentColour: string | null;
  supportUrl: string | null;
  footerLinks: FooterLink[];
  /** The custom stylesheet and its version (the served URL's `v`); null when there is none. */
  customCss: { css: string; version: string } | null;
  logo: Linked | null;
  favicon: Linked | null;
  /** `/theme.css?v=…` (the accent colour, and the custom stylesheet in its cascade layer), or null when neither is set. */
  themeUrl: string | null;
}

const EXTENSION = { 'image/png': 'png', 'image/svg+xml': 'svg' } as const;

const version = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Where an uploaded image is served: the hash in the URL lets it be cached for good. */
export const imageUrl = (image: ImageRef) => `/brand/${image.kind}.${EXTENSION[image.contentType]}?v=${image.hash}`;

export function effectiveSettings(defaults: SettingsDefaults, row: SettingsRow | null, images: readonly ImageRef[]): EffectiveSettings {
  const image = (kind: ImageRef['kind']) => images.find((i) => i.kind === kind);
  const logo = image('logo');
  const favicon = image('favicon');
  const customCss = row?.customCss ? { css: row.customCss, version: version(row.customCss) } : null;
  const accentColour = row?.accentColour ?? null;
  const theme = accentColour || customCss ? version(`${accentColour}:${customCss?.version}`) : null;
  return {
    pageName: row?.pageName ?? defaults.pageName,
    timeZone: row?.timeZone ?? defaults.timeZone,
    // A value stored by an older version that no longer ships a language falls back, not fails.
    defaultLanguage: row?.defaultLanguage && isLanguage(row.defaultLanguage) ? row.defaultLanguage : defaults.defaultLanguage,
    accentColour,
    supportUrl: row?.supportUrl ?? null,
    footerLinks: row?.footerLinks ?? [],
    customCss,
    logo: logo ? { url: imageUrl(logo), contentType: logo.contentType } : row?.logoUrl ? { url: row.logoUrl, contentType: null } : null,
    favicon: favicon ? { url: imageUrl(favicon), contentType: favicon.contentType } : null,
    themeUrl: theme ? `/theme.css?v=${theme}` : null,
  };
}
