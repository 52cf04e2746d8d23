import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AA_TEXT, contrastRatio, mix, parseHex, type Rgb } from '../../src/domain/contrast.js';
import { accentLinks, THEME_BACKGROUNDS } from '../../src/surfaces/web/theme.js';

/**
 * Every text colour the public stylesheet declares, on every background it is drawn on, in
 * both themes, computed from the custom properties in public/style.css. axe-core checks the
 * pages in a browser too, but only the colours that are on the page it is shown; this covers
 * the status colours of states no test page happens to be in.
 */
const css = readFileSync(new URL('../../public/style.css', import.meta.url), 'utf8');

function properties(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):([^;}]+)/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

const light = properties(/:root\{color-scheme[^}]*\}/.exec(css)![0]);
const dark = { ...light, ...properties(/prefers-color-scheme: ?dark\)\{\s*:root\{[^}]*\}/.exec(css)![0]) };
/** The colour classes of the status vocabulary: text colour (--c), marker colour (--d), banner background (--bb). */
const vocabulary = [...css.matchAll(/\.(status-[a-z_]+|impact-[a-z]+)[^{]*\{--c:var\(--([\w-]+)\);--d:var\(--([\w-]+)\)(?:;--bb:(#[0-9a-f]+))?/g)].map(
  (m) => ({ name: m[1]!, c: m[2]!, d: m[3]!, bb: m[4] }),
);

describe.each([
  ['light', light],
  ['dark', dark],
] as const)('the %s theme', (theme, vars) => {
  const colour = (name: string): Rgb => parseHex(vars[name]!);
  const tint = Number.parseFloat(vars.tint!);
  const bg = colour('bg');
  const surface = colour('surface');

  it('finds the whole vocabulary in the stylesheet', () => {
    expect(vocabulary.map((v) => v.name)).toEqual(['status-operational', 'status-under_maintenance', 'status-degraded_performance', 'status-partial_outage', 'status-major_outage', 'impact-none']);
  });

  it.each(['text', 'muted', 'link'])('--%s reads at 4.5:1 on the page and on cards', (name) => {
    for (const back of [bg, surface]) expect(contrastRatio(colour(name), back)).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it.each(vocabulary)('$name: status text, titles and badges read at 4.5:1', ({ c, d }) => {
    const text = colour(c);
    // A card's head is tinted with its marker colour; a badge is tinted again over whatever it sits on.
    const cardHead = mix(colour(d), surface, tint);
    for (const back of [bg, surface, cardHead]) {
      expect(contrastRatio(text, back), `text on ${back}`).toBeGreaterThanOrEqual(AA_TEXT);
      const badgeText = mix(text, colour('text'), 65);
      expect(contrastRatio(badgeText, mix(text, back, tint)), `badge on ${back}`).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it.each(vocabulary.filter((v) => v.bb))('$name: the status banner’s text reads at 4.5:1', ({ name, bb }) => {
    // White on every banner but the minor one, which is yellow and takes dark text.
    const text = parseHex(name === 'status-degraded_performance' ? '#1f2328' : '#ffffff');
    expect(contrastRatio(text, parseHex(bb!))).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it('is the background an accent colour is made readable on', () => {
    expect(THEME_BACKGROUNDS[theme]).toEqual([vars.bg, vars.surface].map((c) => (c!.length === 4 ? `#${[...c!.slice(1)].map((x) => x + x).join('')}` : c)));
  });

  it.each(['#ffcc00', '#6f42c1', '#0a5cc2', '#000000', '#ffffff', '#a371f7'])('makes the accent %s readable as link text', (accent) => {
    const link = parseHex(accentLinks(accent)[theme]);
    for (const back of [bg, surface]) expect(contrastRatio(link, back)).toBeGreaterThanOrEqual(AA_TEXT);
  });
});
