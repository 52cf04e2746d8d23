import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, parseCsvRow } from '../../src/domain/csv.js';

describe('csv', () => {
  it('quotes cells with commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("x")@evil.org')).toBe(`"'=HYPERLINK(""x"")@evil.org"`);
    expect(csvCell('+1@example.org')).toBe("'+1@example.org");
    expect(csvCell('-x@example.org')).toBe("'-x@example.org");
    expect(csvCell('@x')).toBe("'@x");
  });

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 'b,c', undefined])).toBe('a,"b,c",\r\n');
  });
});

describe('parseCsvRow', () => {
  it('reads quoted cells with commas and doubled quotes', () => {
    expect(parseCsvRow('a,"b, c","say ""hi""",')).toEqual(['a', 'b, c', 'say "hi"', '']);
  });

  it('reads back what csvRow wrote, the formula guard taken off', () => {
    const cells = ['=HYPERLINK("x")@x.io', 'plain', 'with,comma', '-1'];
    expect(parseCsvRow(csvRow(cells).replace(/\r\n$/, ''))).toEqual(cells);
  });
});
