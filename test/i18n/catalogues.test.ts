import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/domain/languages.js';
import { CATALOGUES, ENGLISH } from '../../src/i18n/catalogues.js';
import { createTranslator, translator } from '../../src/i18n/translator.js';
import { pseudoTranslator } from '../helpers/pseudo-locale.js';

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/** The names a message takes as arguments ("{count}", "{names}"), plurals' included. */
function argumentsOf(ast: Ast, into = new Set<string>()): Set<string> {
  for (const el of ast) {
    if ('value' in el && el.type !== 0 && typeof el.value === 'string') into.add(el.value);
    if ('options' in el) for (const o of Object.values(el.options)) argumentsOf(o.value, into);
  }
  return into;
}

describe('message catalogues', () => {
  // A key missing from a catalogue is shown in English; this names each one, so none ships.
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the keys of English', (lang) => {
    const keys = new Set(Object.keys(CATALOGUES[lang]));
    const missing = Object.keys(ENGLISH).filter((k) => !keys.has(k));
    const extra = [...keys].filter((k) => !(k in ENGLISH));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(LANGUAGES)('every %s message is valid ICU and takes the arguments English gives it', (lang) => {
    for (const [key, message] of Object.entries(CATALOGUES[lang])) {
      let ast: Ast;
      try {
        ast = new IntlMessageFormat(message, lang).getAst();
      } catch (error) {
        throw new Error(`${lang} ${key}: ${(error as Error).message}`);
      }
      const english = argumentsOf(new IntlMessageFormat(ENGLISH[key as keyof typeof ENGLISH], 'en').getAst());
      // A translation may drop a plural's number into words, never ask for an argument nobody passes.
      for (const name of argumentsOf(ast)) expect(english.has(name), `${lang} ${key} uses {${name}}`).toBe(true);
    }
  });
});

describe('translator', () => {
  it('formats ICU plurals in the language', () => {
    expect(translator('en').t('uptime.daysWithIssues', { count: 1 })).toBe('1 day with issues');
    expect(translator('en').t('uptime.daysWithIssues', { count: 3 })).toBe('3 days with issues');
    expect(translator('de').t('uptime.daysWithIssues', { count: 1 })).toBe('1 Tag mit Problemen');
    expect(translator('fr').t('uptime.daysWithIssues', { count: 2 })).toBe('2 jours avec incidents');
  });

  it('falls back to English for a message a catalogue lacks', () => {
    const partial = createTranslator('de', { 'status.components': 'Komponenten' });
    expect(partial.t('status.components')).toBe('Komponenten');
    expect(partial.t('status.pastIncidents')).toBe('Past incidents');
  });

  it('keeps English times, durations and windows as they always read', () => {
    const en = translator('en');
    expect(en.time(new Date('2026-11-24T10:05:00Z'), 'UTC').text).toBe('Nov 24, 2026, 10:05 UTC');
    expect(en.duration(125 * 60_000)).toBe('2 h 5 min');
    expect(en.utcDay(new Date('2026-11-12T00:00:00Z'), true)).toBe('Nov 12, 2026');
  });

  it('formats times, durations and months through Intl in the language and the display zone', () => {
    const de = translator('de');
    // Berlin is an hour ahead of UTC in November.
    expect(de.time(new Date('2026-11-24T10:05:00Z'), 'Europe/Berlin').text).toBe('24. Nov. 2026, 11:05 MEZ');
    expect(de.duration(125 * 60_000)).toBe('2 Std., 5 Min.');
    expect(de.duration(20_000)).toBe('unter einer Minute');
    expect(de.month(2026, 11)).toBe('November 2026');
    expect(translator('ja').month(2026, 11)).toBe('2026年11月');
    const window = { scheduledFor: new Date('2026-11-24T22:00:00Z'), scheduledUntil: new Date('2026-11-25T01:00:00Z') };
    expect(translator('fr').window(window, 'UTC')).toContain('22:00');
  });

  it('pseudo-localises every letter of the messages and none of their arguments', () => {
    const t = pseudoTranslator().t;
    expect(t('status.components')).toBe('[Çöɱƥöñéñţš]');
    expect(t('incident.affectedList', { names: 'API, Web' })).toBe('[Àƒƒéçţéđ: API, Web]');
    expect(t('uptime.daysWithIssues', { count: 2 })).toBe('[2 đàýš ŵîţĥ îššûéš]');
  });
});
