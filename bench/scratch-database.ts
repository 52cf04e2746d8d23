import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { withDatabase } from '../test/helpers/postgres-template.js';

/** A scratch database on the server of `adminUrl` (`BENCH_DATABASE_URL`), dropped afterwards. */
export async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hg_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(adminUrl, name),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
