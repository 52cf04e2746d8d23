/**
 * Which language a public answer is in: the one a reader names with `?lang=`, else the page's
 * default. Never `Accept-Language`: each language is one cached render under one URL, so a
 * cache in front of us needs no `Vary`, and a link always shows what it showed its sender.
 */
import { Type } from 'typebox';
import { isLanguage, LANGUAGES, type Language } from '../domain/languages.js';
import { translator, type Translator } from './translator.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The page's language when a reader names none. */
    defaultLanguage: () => Language;
  }
}

/** `requested` is the raw `?lang=`: an unknown or missing one is the default, never an error. */
export function pageLanguage(requested: unknown, defaultLanguage: Language): Language {
  const lang = typeof requested === 'string' ? requested.toLowerCase() : '';
  return isLanguage(lang) ? lang : defaultLanguage;
}

/** `path` as a reader of `lang` links to it: the default language keeps today's URL. */
export function pathIn(path: string, lang: Language, defaultLanguage: Language): string {
  if (lang === defaultLanguage) return path;
  const [base, hash] = path.split('#', 2) as [string, string | undefined];
  return `${base}${base.includes('?') ? '&' : '?'}lang=${lang}${hash === undefined ? '' : `#${hash}`}`;
}

/** `?lang=` of a public route, for its querystring schema and the OpenAPI document. */
export const LangQuery = Type.Optional(
  Type.String({ description: `The language of the answer's words (${LANGUAGES.join(', ')}); unknown or missing: the page's default` }),
);

/** The language a public request asks for (`?lang=`), and the cache key of a render in it. */
export function requestLanguage(query: unknown, defaultLanguage: Language): { lang: Language; key: (key: string) => string } {
  const lang = pageLanguage((query as { lang?: unknown } | undefined)?.lang, defaultLanguage);
  return { lang, key: (key) => keyIn(key, lang, defaultLanguage) };
}

/**
 * The render-cache key of `key` in `lang`: the default language's is the key itself, so the
 * default page keeps its key (and its pins); another language gets an entry of its own, made
 * stale by the same invalidation as every other.
 */
export function keyIn(key: string, lang: Language, defaultLanguage: Language): string {
  return lang === defaultLanguage ? key : `${key}#lang=${lang}`;
}

/** Each shipped language in its own name, for the switcher: readers look for their own. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  pt: 'Português',
  ja: '日本語',
};

export interface LanguageLink {
  lang: Language;
  name: string;
  href: string;
  current: boolean;
}

/** The switcher's links and the `hreflang` alternates of the page at `path`. */
export function languageLinks(path: string, current: Language, defaultLanguage: Language): LanguageLink[] {
  return LANGUAGES.map((lang) => ({ lang, name: LANGUAGE_NAMES[lang], href: pathIn(path, lang, defaultLanguage), current: lang === current }));
}

/** What the public layout needs to speak `lang` on the page at `path` (the language's own URL aside). */
export interface LanguageLocals {
  lang: Language;
  t: Translator['t'];
  /** A link on this page, kept in its language. */
  href: (path: string) => string;
  languages: LanguageLink[];
  /** The default language's URL of this page: `hreflang="x-default"`. */
  defaultHref: string;
}

export function languageLocals(path: string, lang: Language, defaultLanguage: Language): LanguageLocals {
  return {
    lang,
    t: translator(lang).t,
    href: (target) => pathIn(target, lang, defaultLanguage),
    languages: languageLinks(path, lang, defaultLanguage),
    defaultHref: path,
  };
}
