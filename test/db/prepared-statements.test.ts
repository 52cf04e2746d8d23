import type { Sql } from 'postgres';
import { describe, expect, it } from 'vitest';
import { preparingEveryPrepared } from '../../src/db/prepared-statements.js';

/** A stand-in for the postgres.js client: records what `unsafe` is asked, and keeps its other properties. */
function recordingClient() {
  const calls: unknown[][] = [];
  const client = Object.assign(() => 'called', {
    unsafe: (...args: unknown[]) => {
      calls.push(args);
      return 'query';
    },
    options: { parsers: {} },
  });
  return { client: client as unknown as Sql, calls };
}

describe('preparingEveryPrepared', () => {
  it('sends a statement drizzle prepares over the extended protocol, parameters or none', () => {
    const { client, calls } = recordingClient();
    const wrapped = preparingEveryPrepared(client);
    wrapped.unsafe('select 1', [], { prepare: true });
    wrapped.unsafe('select $1', [1], { prepare: true });
    expect(calls).toEqual([
      ['select 1', [], { prepare: true, simple: false }],
      ['select $1', [1], { prepare: true, simple: false }],
    ]);
  });

  it('leaves every other query as postgres.js would send it', () => {
    const { client, calls } = recordingClient();
    const wrapped = preparingEveryPrepared(client);
    wrapped.unsafe('select 1', [], { prepare: false });
    wrapped.unsafe('begin; select 1; commit');
    expect(calls).toEqual([
      ['select 1', [], { prepare: false }],
      ['begin; select 1; commit', undefined, undefined],
    ]);
    // The rest of the client is the client's own: drizzle sets its parsers on these options.
    expect(wrapped.options).toBe(client.options);
    expect((wrapped as unknown as () => string)()).toBe('called');
  });
});
