import { describe, expect, it } from 'vitest';
import { markdownToText, MarkdownRejected, onStoredMarkdownFailure, plainTextHtml, renderMarkdown, storedMarkdownHtml, stripInvalidXmlChars } from '../../src/text/markdown.js';

const REL = 'rel="nofollow noopener noreferrer"';

describe('renderMarkdown', () => {
  it('keeps plain formatting: bold, emphasis, links, lists, code', () => {
    const html = renderMarkdown('**bold** and _soft_ and [docs](https://example.test/docs)\n\n- one\n- two\n\n1. first\n\n`a && b`');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>soft</em>');
    expect(html).toContain(`<a href="https://example.test/docs" ${REL}>docs</a>`);
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>\s*<\/ol>/);
    expect(html).toContain('<code>a &amp;&amp; b</code>');
  });

  it('gives every link rel="nofollow noopener noreferrer", mailto included', () => {
    expect(renderMarkdown('[mail us](mailto:ops@example.test)')).toBe(`<p><a href="mailto:ops@example.test" ${REL}>mail us</a></p>`);
    // A rel written by the author is replaced, not merged: it must not re-enable anything.
    expect(renderMarkdown('<a href="https://example.test" rel="opener">x</a>')).toContain(`<a href="https://example.test" ${REL}>x</a>`);
  });

  it.each([
    ['[x](javascript:alert(1))'],
    ['[x](JaVaScRiPt:alert(1))'],
    ['[x](vbscript:msgbox(1))'],
    ['[x](data:text/html,hello)'],
    ['<a href="javascript:alert(1)">x</a>'],
    // Protocol-relative links would go wherever the page's scheme goes: not allowed either.
    ['[x](//evil.example/x)'],
  ])('drops the href of a link that is not http(s) or mailto: %s', (source) => {
    const html = renderMarkdown(source);
    expect(html).toBe(`<p><a ${REL}>x</a></p>`);
    expect(html).not.toMatch(/javascript:|vbscript:|data:|evil\.example/i);
  });

  it('never lets raw <script> through: it shows as text', () => {
    const html = renderMarkdown('before <script>alert(1)</script> after\n\n<script>alert(2)</script>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('strips event-handler attributes from every tag', () => {
    const cases = [
      '<p onclick="evil()">hi</p>',
      '<a href="https://example.test" onclick="evil()" onmouseover="evil()">x</a>',
      '<div onmouseover="evil()">hi</div>',
      '<svg onload=evil()>',
      '<strong onfocus="evil()" tabindex="1">x</strong>',
    ];
    for (const source of cases) {
      const html = renderMarkdown(source);
      expect(html, source).not.toMatch(/\son\w+\s*=/i);
      expect(html, source).not.toMatch(/<(div|svg)\b/i);
    }
  });

  it('renders no images, neither Markdown nor HTML (no tracking pixels, no onerror)', () => {
    for (const source of ['![pixel](https://tracker.example/p.gif)', '<img src=x onerror=alert(1)>', '<img src="https://tracker.example/p.gif">']) {
      const html = renderMarkdown(source);
      expect(html, source).not.toMatch(/<img/i);
      expect(html, source).not.toMatch(/onerror|tracker\.example/i);
    }
  });

  it('drops iframes, styles and forms as markup', () => {
    const html = renderMarkdown('<iframe src="https://example.test"></iframe><style>body{display:none}</style><form action="/x"><input></form>');
    expect(html).not.toMatch(/<(iframe|style|form|input)\b/i);
  });

  it('lowers headings below the page’s own', () => {
    expect(renderMarkdown('# Big')).toBe('<h3>Big</h3>');
    expect(renderMarkdown('## Less big')).toBe('<h3>Less big</h3>');
    expect(renderMarkdown('###### Tiny')).toBe('<h4>Tiny</h4>');
  });

  it('escapes text, so & and < read as themselves', () => {
    expect(renderMarkdown('Fish & chips < 3')).toBe('<p>Fish &amp; chips &lt; 3</p>');
  });

  it('turns single newlines into line breaks (written under pressure, read as typed)', () => {
    expect(renderMarkdown('line one\nline two')).toBe('<p>line one<br />line two</p>');
  });

  it('strips characters XML forbids before rendering', () => {
    expect(renderMarkdown('a\u0001b\u0008c')).toBe('<p>abc</p>');
  });
});

describe('markdownToText', () => {
  it('gives the plain text without markup', () => {
    expect(markdownToText('**Database** is [slow](https://example.test)\n\n- reads\n- writes')).toBe('Database is slow reads writes');
  });

  it('decodes entities: the text is escaped later, where it is used', () => {
    expect(markdownToText('Fish & chips < 3 > 2 "quoted" it\'s')).toBe('Fish & chips < 3 > 2 "quoted" it\'s');
    expect(markdownToText('`a && b`')).toBe('a && b');
  });

  it('does not decode twice: a written "&amp;lt;" stays "&lt;"', () => {
    expect(markdownToText('&amp;lt;')).toBe('&lt;');
  });

  it('shows raw HTML as the text that was written, never runs it', () => {
    expect(markdownToText('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
  });

  // Regression: a line break rendered as <br /> used to vanish and glue two words together.
  it('keeps words apart across line breaks and paragraphs', () => {
    expect(markdownToText('Investigating\nAPI errors')).toBe('Investigating API errors');
    expect(markdownToText('First.\n\nSecond.')).toBe('First. Second.');
  });

  it('collapses whitespace and trims', () => {
    expect(markdownToText('  lots   of\t\tspace  ')).toBe('lots of space');
    expect(markdownToText('')).toBe('');
  });
});

describe('stripInvalidXmlChars', () => {
  it('removes the C0 controls except tab, line feed and carriage return', () => {
    const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
    expect(stripInvalidXmlChars(`a${controls}b`)).toBe('a\t\n\rb');
  });

  it('removes U+FFFE and U+FFFF', () => {
    expect(stripInvalidXmlChars('a\uFFFEb\uFFFFc')).toBe('abc');
  });

  it('removes lone surrogates, high or low, wherever they are', () => {
    expect(stripInvalidXmlChars('a\uD800b')).toBe('ab');
    expect(stripInvalidXmlChars('a\uDC00b')).toBe('ab');
    expect(stripInvalidXmlChars('end\uD83D')).toBe('end');
    expect(stripInvalidXmlChars('\uDE00start')).toBe('start');
    // Two lows or two highs are not a pair.
    expect(stripInvalidXmlChars('\uDC00\uDC00x\uD800\uD800')).toBe('x');
  });

  it('keeps valid surrogate pairs such as emoji', () => {
    expect(stripInvalidXmlChars('fire 🔥 ok 👍🏽 done')).toBe('fire 🔥 ok 👍🏽 done');
    expect(stripInvalidXmlChars('\uD800\uD83D\uDD25\uDC00')).toBe('🔥');
  });

  it('keeps ordinary text, DEL and the rest of the BMP untouched', () => {
    const text = 'Ünïcödé — “quotes” \u007F \u0085 \uFFFD \uFDD0 中文';
    expect(stripInvalidXmlChars(text)).toBe(text);
  });
});

describe('renderMarkdown at the limits', () => {
  it('refuses a body over them with a sentence for its author, before the renderer sees it', () => {
    expect(() => renderMarkdown(`${'>'.repeat(5000)} x`)).toThrow(MarkdownRejected);
    expect(() => renderMarkdown(`${'*'.repeat(5000)}a${'*'.repeat(5000)}`)).toThrow(/run of more than 32/);
  });
});

describe('storedMarkdownHtml', () => {
  it('serves the HTML rendered when the body was written, without rendering again', () => {
    expect(storedMarkdownHtml({ id: 'u1', source: '**ignored**', html: '<p>stored</p>' })).toBe('<p>stored</p>');
  });

  it('renders a row kept from before bodies were rendered when written', () => {
    expect(storedMarkdownHtml({ id: 'u2', source: 'We see **errors**.', html: null })).toBe('<p>We see <strong>errors</strong>.</p>');
  });

  it('shows a stored body the renderer cannot have as escaped plain text, and reports it once', () => {
    const reports: string[] = [];
    onStoredMarkdownFailure((id) => reports.push(id));
    const source = `${'>'.repeat(3000)} <script>alert(1)</script>\n\nsecond & last`;
    const html = storedMarkdownHtml({ id: 'u3', source, html: null });
    expect(html).toBe(`<p>${'&gt;'.repeat(3000)} &lt;script&gt;alert(1)&lt;/script&gt;</p><p>second &amp; last</p>`);
    storedMarkdownHtml({ id: 'u3', source, html: null });
    expect(reports).toEqual(['u3']);
  });
});

describe('plainTextHtml', () => {
  it('keeps paragraphs and line breaks, escapes everything else', () => {
    expect(plainTextHtml('a <b>\nc\n\n\nd')).toBe('<p>a &lt;b&gt;<br>c</p><p>d</p>');
  });
});
