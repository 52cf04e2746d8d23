/**
 * WCAG 2.x contrast arithmetic on sRGB colours written `#rrggbb` (or `#rgb`): the relative
 * luminance and contrast ratio of the standard, and `color-mix(in srgb, …)` as browsers compute
 * it, so a stylesheet's colour pairs can be checked without a browser.
 */
export type Rgb = readonly [number, number, number];

/** AA for normal-size text. */
export const AA_TEXT = 4.5;

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function isHexColour(value: string): boolean {
  return HEX.test(value);
}

export function parseHex(value: string): Rgb {
  const match = HEX.exec(value.trim());
  if (!match) throw new Error(`Not a #rrggbb colour: ${value}`);
  const hex = match[1]!.length === 3 ? [...match[1]!].map((c) => c + c).join('') : match[1]!;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}

export function toHex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.x relative luminance. */
export function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * `color-mix(in srgb, a weight%, b)`: mixing with `transparent` and painting the result over
 * `b` comes to the same, which is how a tint over a background is computed here.
 */
export function mix(a: Rgb, b: Rgb, weightOfA: number): Rgb {
  const w = weightOfA / 100;
  return a.map((c, i) => c * w + b[i]! * (1 - w)) as unknown as Rgb;
}

/**
 * `colour`, or the least mix of it toward black or white (whichever reaches it) that reads at
 * `ratio` on every one of `backgrounds`: a brand colour made readable as text, keeping its hue.
 */
export function readableVariant(colour: Rgb, backgrounds: readonly Rgb[], ratio = AA_TEXT): Rgb {
  const reads = (c: Rgb) => backgrounds.every((bg) => contrastRatio(c, bg) >= ratio);
  if (reads(colour)) return colour;
  // Toward the pole farther from the backgrounds: black on light themes, white on dark ones.
  const meanLuminance = backgrounds.reduce((sum, bg) => sum + luminance(bg), 0) / backgrounds.length;
  const pole: Rgb = meanLuminance > 0.18 ? [0, 0, 0] : [255, 255, 255];
  for (let step = 1; step <= 100; step += 1) {
    const candidate = mix(pole, colour, step).map(Math.round) as unknown as Rgb;
    if (reads(candidate)) return candidate;
  }
  return pole;
}
