import { parseHex, readableVariant, toHex } from '../../domain/contrast.js';
import type { EffectiveSettings } from '../../modules/settings/index.js';

/** The page and card backgrounds of public/style.css, light and dark (a test holds them equal). */
export const THEME_BACKGROUNDS = { light: ['#f6f8fa', '#ffffff'], dark: ['#0d1117', '#161b22'] } as const;

/** The accent as link text: the colour itself where it reads at 4.5:1, else the nearest shade that does. */
export function accentLinks(accent: string): { light: string; dark: string } {
  const on = (backgrounds: readonly string[]) => toHex(readableVariant(parseHex(accent), backgrounds.map(parseHex)));
  return { light: on(THEME_BACKGROUNDS.light), dark: on(THEME_BACKGROUNDS.dark) };
}

/**
 * `/theme.css`: the accent colour and the custom stylesheet. The custom sheet is imported into
 * the `custom` cascade layer, declared in style.css after `guard`: whatever it says, even with
 * `!important`, cannot beat the guard layer's `!important` rules that keep the status banner
 * readable, and being a file of its own it cannot close the layer early.
 */
export function themeCss(settings: Pick<EffectiveSettings, 'accentColour' | 'customCss'>): string {
  const lines: string[] = [];
  if (settings.customCss) lines.push(`@import url("/custom.css?v=${settings.customCss.version}") layer(custom);`);
  if (settings.accentColour) {
    const links = accentLinks(settings.accentColour);
    lines.push(
      `:root{--accent:${settings.accentColour};--link:${links.light}}`,
      `@media (prefers-color-scheme: dark){:root{--link:${links.dark}}}`,
      '.site-header{border-top:4px solid var(--accent)}',
    );
  }
  return `${lines.join('\n')}\n`;
}
