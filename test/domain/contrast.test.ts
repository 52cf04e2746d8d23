import { describe, expect, it } from 'vitest';
import { AA_TEXT, contrastRatio, isHexColour, mix, parseHex, readableVariant, toHex } from '../../src/domain/contrast.js';

describe('WCAG contrast', () => {
  it('gives 21:1 for black on white and 1:1 for a colour on itself', () => {
    expect(contrastRatio(parseHex('#000'), parseHex('#ffffff'))).toBeCloseTo(21, 5);
    expect(contrastRatio(parseHex('#0a5cc2'), parseHex('#0a5cc2'))).toBe(1);
  });

  it('matches published ratios (WebAIM: #767676 on white is 4.54:1)', () => {
    expect(contrastRatio(parseHex('#767676'), parseHex('#fff'))).toBeCloseTo(4.54, 2);
  });

  it('mixes like color-mix(in srgb)', () => {
    expect(toHex(mix(parseHex('#ffffff'), parseHex('#000000'), 50))).toBe('#808080');
  });

  it('accepts #rgb and #rrggbb only', () => {
    expect(isHexColour('#a1b2c3')).toBe(true);
    expect(isHexColour('#abc')).toBe(true);
    for (const bad of ['red', '#12345', 'a1b2c3', '#ggg', 'url(x)']) expect(isHexColour(bad)).toBe(false);
  });
});

describe('readableVariant', () => {
  const lightBacks = [parseHex('#f6f8fa'), parseHex('#ffffff')];
  const darkBacks = [parseHex('#0d1117'), parseHex('#161b22')];

  it('keeps a colour that already reads', () => {
    expect(toHex(readableVariant(parseHex('#0a5cc2'), lightBacks))).toBe('#0a5cc2');
  });

  it('darkens a pale brand colour on light themes and lightens a deep one on dark themes, just enough', () => {
    for (const [colour, backs] of [['#ffcc00', lightBacks], ['#3b0a8f', darkBacks]] as const) {
      const variant = readableVariant(parseHex(colour), backs);
      for (const back of backs) expect(contrastRatio(variant, back)).toBeGreaterThanOrEqual(AA_TEXT);
      expect(toHex(variant)).not.toBe(colour);
    }
    const yellow = readableVariant(parseHex('#ffcc00'), lightBacks);
    // Still a yellow-brown, not black.
    expect(yellow[0]).toBeGreaterThan(yellow[2] + 40);
  });
});
