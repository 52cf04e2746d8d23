import { describe, expect, it } from 'vitest';
import { MARKDOWN_LIMITS, markdownProblem } from '../../src/text/markdown-limits.js';

const nestedList = (depth: number) => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n');

describe('markdownProblem', () => {
  it('accepts what status updates are made of', () => {
    const body = [
      '## Update',
      'We are seeing **elevated errors** on _checkout_ and ~~payments~~ [details](https://example.test).',
      nestedList(4),
      '> Quoted from the provider:',
      '> > their own quote',
      '1. first',
      '2. second',
      '***',
      '- - - - - - - - - - - -',
      '```yaml',
      `${' '.repeat(40)}- deeply: indented`,
      '```',
      '| a | b |\n|---|---|\n| 1 | 2 |',
    ].join('\n\n');
    expect(markdownProblem(body)).toBeNull();
    expect(markdownProblem(nestedList(MARKDOWN_LIMITS.maxNesting))).toBeNull();
  });

  it('refuses nesting deeper than the limit, by quotes, list markers or indentation, naming the line', () => {
    expect(markdownProblem(`${'>'.repeat(5000)} x`)?.message).toMatch(/^Line 1 nests quotes or lists 5000 deep; the limit is 8\./);
    expect(markdownProblem(`${'- '.repeat(100)}x`)?.message).toMatch(/nests quotes or lists 100 deep/);
    expect(markdownProblem(`intro\n\n${nestedList(MARKDOWN_LIMITS.maxNesting + 1)}`)?.message).toMatch(/^Line 11 nests/);
    expect(markdownProblem('\t\t\t\t\t- tabbed')?.message).toMatch(/nests quotes or lists 11 deep/);
    expect(markdownProblem('> - > - > - > - > x')?.message).toMatch(/9 deep/);
  });

  it('refuses long runs of one emphasis character, except in a thematic break', () => {
    expect(markdownProblem(`${'*'.repeat(33)}a${'*'.repeat(33)}`)?.message).toMatch(/run of more than 32 "\*"/);
    expect(markdownProblem('*'.repeat(80))).toBeNull();
    expect(markdownProblem(`a${'_'.repeat(32)}b`)).toBeNull();
  });

  it('refuses more emphasis characters, or link and code openers, than the limits in one body', () => {
    expect(markdownProblem('__a'.repeat(501))?.message).toBe('The text has 1002 emphasis characters (*, _ and ~); the limit is 1000.');
    expect(markdownProblem('[a'.repeat(1001))?.message).toBe('The text has 1001 link and code openers ([, < and `); the limit is 1000.');
    expect(markdownProblem('`a'.repeat(600) + '<b'.repeat(401))?.message).toMatch(/1001 link and code openers/);
  });

  it('refuses a body longer than the limit', () => {
    expect(markdownProblem('a'.repeat(MARKDOWN_LIMITS.maxLength + 1))?.message).toBe('The text is 20001 characters long; the limit is 20000.');
  });

  it('does not count what sits inside a fenced code block', () => {
    expect(markdownProblem(['```', '>'.repeat(50), '*'.repeat(50) + 'a', '```'].join('\n'))).toBeNull();
  });
});
