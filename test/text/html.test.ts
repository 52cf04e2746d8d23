import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/text/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in element content and in either kind of attribute quote', () => {
    expect(escapeHtml(`<a href="x" title='y'>Fish & chips</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Fish &amp; chips&lt;/a&gt;',
    );
  });

  it('escapes an ampersand once: text that looks escaped is still text', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});
