import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/http/json-body.js';

const arrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('nestsDeeperThan', () => {
  it.each([
    ['1', 0, false],
    ['{}', 0, true],
    ['{}', 1, false],
    [arrays(32), 32, false],
    [arrays(33), 32, true],
    [objects(32), 32, false],
    [objects(33), 32, true],
    ['[{"a":[{"b":[]}]}]', 5, false],
    ['[{"a":[{"b":[]}]}]', 4, true],
    // Siblings do not add up: depth is how far in, not how many.
    [`[${Array.from({ length: 100 }, () => '[[]]').join(',')}]`, 3, false],
  ])('%s deeper than %i: %s', (text, max, deeper) => expect(nestsDeeperThan(text as string, max as number)).toBe(deeper));

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'a "quoted [[[" word', more: ['\\', '"[['] }), 2)).toBe(false);
    // An escaped backslash does not escape the closing quote: the brackets after it count.
    expect(nestsDeeperThan(JSON.stringify({ text: '\\' }) + '[[', 1)).toBe(true);
  });

  it('reads a million levels without a stack overflow', () => {
    expect(nestsDeeperThan(arrays(1_000_000), 32)).toBe(true);
  });
});
