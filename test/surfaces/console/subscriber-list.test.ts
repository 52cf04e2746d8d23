import { describe, expect, it } from 'vitest';
import { readSubscriberList } from '../../../src/surfaces/console/subscriber-list.js';

describe('readSubscriberList', () => {
  it('reads one address per line, skipping blank lines, numbering lines from 1', () => {
    expect(readSubscriberList('\uFEFFa@example.test\r\n\r\n  b@example.test  \nnot one')).toEqual([
      { email: 'a@example.test', componentIds: [], line: 1 },
      { email: 'b@example.test', componentIds: [], line: 3 },
      { email: 'not one', componentIds: [], line: 4 },
    ]);
  });

  it('reads CSV by its email column, and our own export with its components', () => {
    const id = '3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60';
    const text = `email,status,component_ids,confirmed_at,created_at\r\nann@example.test,pending,${id},,2026-01-01T00:00:00.000Z\r\n"bob@example.test",confirmed,,x,y\r\n`;
    expect(readSubscriberList(text)).toEqual([
      { email: 'ann@example.test', componentIds: [id], line: 2 },
      { email: 'bob@example.test', componentIds: [], line: 3 },
    ]);
    expect(readSubscriberList('Name,EMAIL\nAnn,ann@example.test\nBob')).toEqual([
      { email: 'ann@example.test', componentIds: [], line: 2 },
      { email: '', componentIds: [], line: 3 },
    ]);
  });

  it('is empty for nothing but blank lines', () => {
    expect(readSubscriberList(' \n\n')).toEqual([]);
  });
});
