/**
 * A pseudo-locale made from the English catalogue, for tests only: every letter of a message's
 * own text is swapped for an accented one and the message is bracketed ("[Ŝķîƥ ţö çöñţéñţ]"),
 * while placeholders, plurals and selects stay as they are. A page rendered in it shows at a
 * glance, and to a test, every word that did not come through the catalogue.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { ENGLISH, type MessageSource } from '../../src/i18n/catalogues.js';
import { createTranslator, type Translator } from '../../src/i18n/translator.js';

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ACCENTED = 'àƀçđéƒĝĥîĵķĺɱñöƥɋŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖƤɊŔŠŢÛṼŴẊÝŽ';
const SWAP = new Map([...PLAIN].map((ch, i) => [ch, [...ACCENTED][i]!]));

export const pseudo = (text: string) => [...text].map((ch) => SWAP.get(ch) ?? ch).join('');

type Ast = ReturnType<IntlMessageFormat['getAst']>;

function pseudoAst(ast: Ast): Ast {
  return ast.map((el) => {
    // A literal (type 0) is the message's own text; plural and select options hold more of it.
    if (el.type === 0) return { ...el, value: pseudo(el.value) };
    if ('options' in el) {
      const options = Object.fromEntries(Object.entries(el.options).map(([k, o]) => [k, { ...o, value: pseudoAst(o.value) }]));
      return { ...el, options } as typeof el;
    }
    return el;
  });
}

/** The English catalogue, pseudo-localised and bracketed. */
export function pseudoCatalogue(): Record<string, MessageSource> {
  return Object.fromEntries(
    Object.entries(ENGLISH).map(([key, message]) => {
      const ast = pseudoAst(new IntlMessageFormat(message, 'en').getAst());
      return [key, [{ type: 0, value: '[' }, ...ast, { type: 0, value: ']' }] as Ast];
    }),
  );
}

/** A translator of the pseudo-locale; its dates and numbers read as English's (Intl has no pseudo-locale). */
export const pseudoTranslator = (): Translator => createTranslator('en-XA', pseudoCatalogue());

/**
 * Every English word of three letters or more in the English catalogue's own text (not its
 * placeholders), lower-cased: what a pseudo-locale page must not show.
 */
export function englishWords(): Set<string> {
  const words = new Set<string>();
  const collect = (ast: Ast) => {
    for (const el of ast) {
      if (el.type === 0) for (const w of el.value.match(/[A-Za-z]{3,}/g) ?? []) words.add(w.toLowerCase());
      if ('options' in el) for (const o of Object.values(el.options)) collect(o.value);
    }
  };
  for (const message of Object.values(ENGLISH)) collect(new IntlMessageFormat(message, 'en').getAst());
  return words;
}
