import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { componentBadge, overallBadge, renderBadge, UNKNOWN_BADGE } from '../../../src/surfaces/web/badge.js';

const width = (svg: string) => Number(/^<svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
// `htmlEntities` makes the parser decode numeric references (`&#39;`) too, as every XML parser must.
const parse = (svg: string) => new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(svg) as { svg: { title: string } };

describe('renderBadge', () => {
  it('says the overall status in words and colours it', () => {
    const svg = renderBadge(overallBadge('critical'));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(parse(svg).svg.title).toBe('status: major outage');
    expect(svg).toContain('fill="#b62324"');
    expect(renderBadge(overallBadge('none'))).toContain('>operational<');
  });

  it('escapes a component name so it cannot break out of the SVG', () => {
    const svg = renderBadge(componentBadge(`<script>alert("x")</script> & 'co'`, 'partial_outage'));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<script');
    // The parser decodes the entities: the name comes back as it was typed, as text.
    expect(parse(svg).svg.title).toBe(`<script>alert("x")</script> & 'co': partial outage`);
  });

  it('drops characters XML cannot carry', () => {
    const svg = renderBadge(componentBadge('API\u0001\u001f', 'operational'));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('>API: operational<');
  });

  it('grows with its text, and caps a very long name', () => {
    const short = width(renderBadge(componentBadge('API', 'operational')));
    const longer = width(renderBadge(componentBadge('Payments API (EU)', 'operational')));
    const message = width(renderBadge(componentBadge('API', 'degraded_performance')));
    expect(longer).toBeGreaterThan(short);
    expect(message).toBeGreaterThan(short);
    const huge = renderBadge(componentBadge('x'.repeat(5000), 'operational'));
    expect(width(huge)).toBeLessThan(500);
    expect(huge).toContain('…');
  });

  it('has a grey unknown badge', () => {
    expect(renderBadge(UNKNOWN_BADGE)).toContain('>unknown<');
  });
});
