import { describe, expect, it } from 'vitest';
import { fillPlaceholders, joinNames, NO_COMPONENTS_TEXT, templateValues } from '../../src/domain/template-text.js';

const values = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('fillPlaceholders', () => {
  it('replaces known placeholders, with or without spaces inside the braces', () => {
    expect(fillPlaceholders('{{component}} is down; {{ component }} again', values({ component: 'API' }))).toBe('API is down; API again');
  });

  it('leaves unknown placeholders literal', () => {
    expect(fillPlaceholders('{{region}} and {{component}}', values({ component: 'API' }))).toBe('{{region}} and API');
  });

  // Templates are never compiled: text that means code to eta, to JavaScript or to Handlebars
  // comes out exactly as written.
  it.each([
    ['<%= it.secret %>'],
    ['<%~ process.env %>'],
    ['${process.env.JWT_SECRET}'],
    ['`${1+1}`'],
    ['{{constructor}}'],
    ['{{__proto__}}'],
    ['{{toString}}'],
    ['{{hasOwnProperty}}'],
    ['{{#each x}}{{/each}}'],
    ['{{ component.name }}'],
  ])('renders %s literally', (text) => {
    expect(fillPlaceholders(text, values({ component: 'API' }))).toBe(text);
  });

  it('does not expand a value that looks like a placeholder (one pass only)', () => {
    expect(fillPlaceholders('{{component}}', values({ component: '{{severity}}', severity: 'P1' }))).toBe('{{severity}}');
  });

  it('inserts values with $ patterns as they are', () => {
    expect(fillPlaceholders('x {{component}} y', values({ component: "$& $1 $' $`" }))).toBe("x $& $1 $' $` y");
  });

  it('leaves malformed braces alone', () => {
    for (const text of ['{{}}', '{{ }}', '{component}', '{{1abc}}', '{{ component', 'component }}']) {
      expect(fillPlaceholders(text, values({ component: 'API' }))).toBe(text);
    }
  });
});

describe('joinNames', () => {
  it('reads as a sentence', () => {
    expect(joinNames([])).toBe(NO_COMPONENTS_TEXT);
    expect(joinNames(['API'])).toBe('API');
    expect(joinNames(['API', 'Web'])).toBe('API and Web');
    expect(joinNames(['API', 'Web', 'Database'])).toBe('API, Web and Database');
  });
});

describe('templateValues', () => {
  it('fills component and severity, and the caller variables', () => {
    const v = templateValues({ componentNames: ['API', 'Web'], severity: 'P1' }, { region: 'eu-west-1' });
    expect(Object.fromEntries(v)).toEqual({ component: 'API and Web', severity: 'P1', region: 'eu-west-1' });
  });

  it('does not let a variable redefine component or severity', () => {
    const v = templateValues({ componentNames: ['API'], severity: 'P2' }, { component: 'evil', severity: 'P0' });
    expect(v.get('component')).toBe('API');
    expect(v.get('severity')).toBe('P2');
  });

  it('never reads inherited properties as variables', () => {
    const v = templateValues({ componentNames: [], severity: 'P3' });
    expect(fillPlaceholders('{{constructor}} {{toString}}', v)).toBe('{{constructor}} {{toString}}');
  });
});
