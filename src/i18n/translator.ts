/**
 * What a render needs to speak a language: its messages (`t`), and its dates, durations and
 * windows through `Intl` in the display zone. English formats through src/text/time.ts as the
 * page always has, so the default page keeps its bytes; other languages use their locale.
 */
import type { IntlMessageFormat } from 'intl-messageformat';
import { LANGUAGES, type Language } from '../domain/languages.js';
import { windowLabel, type MaintenanceWindow } from '../domain/maintenance-window.js';
import { CLOCK, displayTime, formatDuration, zoneFormatter, type DisplayTime } from '../text/time.js';
import { CATALOGUES, compileCatalogue, type MessageKey, type MessageSource } from './catalogues.js';

export type MessageValues = Record<string, string | number>;

export interface Translator {
  /** The `lang` attribute and `hreflang` of what is rendered. */
  lang: string;
  t: (key: MessageKey, values?: MessageValues) => string;
  /** An instant in the display zone, e.g. "Nov 24, 2026, 10:05 UTC" or "24.11.2026, 10:05 UTC". */
  time: (at: Date, timeZone: string) => DisplayTime;
  /** An incident's or a window's length: "2 h 5 min", "2 Std., 5 Min." */
  duration: (ms: number) => string;
  /** A maintenance window, both ends, in the display zone. */
  window: (window: MaintenanceWindow, timeZone: string) => string;
  /** A UTC day: "Nov 12" (`withYear`: "Nov 12, 2026"). */
  utcDay: (at: Date, withYear?: boolean) => string;
  /** A month of the display zone, given as its year and month number: "November 2026". */
  month: (year: number, month: number) => string;
}

/** The `Intl` locale of a language: English is formatted as US English, as it always was. */
const intlLocale = (lang: string) => (lang === 'en' ? 'en-US' : lang);

/** A translator for `lang` over a catalogue: the shipped ones, or a test's pseudo-locale. */
export function createTranslator(lang: string, catalogue: Readonly<Record<string, MessageSource>>): Translator {
  const locale = intlLocale(lang);
  const messages: Map<string, IntlMessageFormat> = compileCatalogue(locale, catalogue);
  const t = (key: MessageKey, values?: MessageValues): string => {
    const message = messages.get(key);
    if (!message) throw new Error(`No message ${key}`);
    return String(message.format(values));
  };
  const days = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' });
  const daysWithYear = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
  const months = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' });
  const units = (['day', 'hour', 'minute'] as const).map((unit) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }));
  const unitList = new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' });
  const english = lang === 'en';
  return {
    lang,
    t,
    time: english
      ? displayTime
      : (at, timeZone) => ({ iso: at.toISOString(), text: zoneFormatter(timeZone, `clock:${locale}`, CLOCK, locale).format(at) }),
    duration: english
      ? formatDuration
      : (ms) => {
          const minutes = Math.max(0, Math.round(ms / 60_000));
          if (minutes < 1) return t('duration.underMinute');
          const parts = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
          // Two units at most, as in English: "3 d 4 h", never "3 d 4 h 5 min".
          const first = parts.findIndex((n) => n > 0);
          return unitList.format(
            parts
              .slice(first, first + 2)
              .map((n, i) => (n > 0 ? units[first + i]!.format(n) : ''))
              .filter(Boolean),
          );
        },
    window: english
      ? windowLabel
      : (w, timeZone) => zoneFormatter(timeZone, `window:${locale}`, CLOCK, locale).formatRange(w.scheduledFor, w.scheduledUntil),
    utcDay: (at, withYear = false) => (withYear ? daysWithYear : days).format(at),
    month: (year, month) => months.format(new Date(Date.UTC(year, month - 1, 1))),
  };
}

const translators = new Map<Language, Translator>();

/** The shipped language's translator, compiled at its first use and kept. */
export function translator(lang: Language): Translator {
  let found = translators.get(lang);
  if (!found) {
    found = createTranslator(lang, CATALOGUES[lang]);
    translators.set(lang, found);
  }
  return found;
}

/** Compiles every shipped catalogue now: a broken message stops the start, not a render. */
export function compileAllCatalogues(): void {
  for (const lang of LANGUAGES) translator(lang);
}
