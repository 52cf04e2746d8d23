import type { Language } from '../domain/languages.js';

/** The page's identity: what every link, mail and page heading is built from. */
export interface Site {
  pageName: string;
  /** Absolute base URL, without a trailing slash. */
  publicUrl: string;
  /** IANA zone in which the page shows times and draws its days. */
  timeZone: string;
  /** The page's language where a reader names none; English when unset. */
  defaultLanguage?: Language;
}

/** The page's identity and the one instant a render or a message is built at. */
export interface SiteNow extends Site {
  now: Date;
}
