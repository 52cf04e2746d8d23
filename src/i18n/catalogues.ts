/**
 * The message catalogues, one JSON file per shipped language (ICU MessageFormat), and their
 * compiled form. Each message is compiled once per language, at first use of that language,
 * never per render. A message missing from a catalogue falls back to English's; the catalogue
 * test names every missing key, so the fallback is a safety net, not a way of shipping.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from '../domain/languages.js';
import en from './locales/en.json' with { type: 'json' };
import de from './locales/de.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };
import es from './locales/es.json' with { type: 'json' };
import pt from './locales/pt.json' with { type: 'json' };
import ja from './locales/ja.json' with { type: 'json' };

export type MessageKey = keyof typeof en;
/** A message's source: ICU text, or an already parsed one (the pseudo-locale's). */
export type MessageSource = ConstructorParameters<typeof IntlMessageFormat>[0];
export type Catalogue = Partial<Record<MessageKey, MessageSource>>;

export const ENGLISH: Readonly<Record<MessageKey, string>> = en;

/** Each shipped language's catalogue as written: the tests compare them with English. */
export const CATALOGUES: Readonly<Record<Language, Readonly<Record<string, string>>>> = { en, de, fr, es, pt, ja };

/** Every message of `catalogue`, compiled for `locale`; English fills the gaps. */
export function compileCatalogue(locale: string, catalogue: Readonly<Record<string, MessageSource>>): Map<string, IntlMessageFormat> {
  const compiled = new Map<string, IntlMessageFormat>();
  for (const key of Object.keys(ENGLISH) as MessageKey[]) {
    compiled.set(key, new IntlMessageFormat(catalogue[key] ?? ENGLISH[key], locale));
  }
  return compiled;
}
