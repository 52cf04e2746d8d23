import type { Sql, UnsafeQueryOptions } from 'postgres';

/**
 * The postgres.js client as drizzle is given it: a statement drizzle was asked to prepare
 * (`.prepare(name)`, see prepared.ts) goes over the extended protocol even when it has no
 * parameters, so each connection parses and plans it once. postgres.js sends a query without
 * parameters as a simple query, parsed and planned at every run, whatever `prepare` says,
 * unless its `simple` option (read by `unsafe`, missing from its types) says otherwise. The
 * status page's snapshot read (public numbers, groups and components in one statement) took
 * 0.43 ms a run that way, and 0.23 ms prepared.
 */
export function preparingEveryPrepared(client: Sql): Sql {
  const unsafe: Sql['unsafe'] = (query, parameters, options) =>
    client.unsafe(query, parameters, options?.prepare ? ({ simple: false, ...options } as UnsafeQueryOptions) : options);
  return new Proxy(client, { get: (target, property, receiver) => (property === 'unsafe' ? unsafe : Reflect.get(target, property, receiver)) });
}
