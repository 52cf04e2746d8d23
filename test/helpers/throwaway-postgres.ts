import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, in a temporary directory on a free port, for drills
 * that stop and start the server: the shared server on 5432 that the rest of the suite uses is
 * never touched. Debian's server binaries (`initdb`, `pg_ctl`) are not on PATH; they live in
 * /usr/lib/postgresql/<version>/bin. initdb refuses to run as root, so as root the cluster runs
 * as the `postgres` user.
 */
export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: connect, then create databases at will. */
  url: string;
  port: number;
  start(): Promise<void>;
  /** `fast` ends sessions and shuts down cleanly; `immediate` is a crash without the crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server if it runs and deletes its files. */
  destroy(): Promise<void>;
}

/** The newest installed server's bin directory, or null when there is no server installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

const isRoot = () => process.getuid?.() === 0;

/** Whether this machine can run a cluster of its own (the binaries, and a user to run them as). */
export function canRunThrowawayPostgres(): boolean {
  return postgresBinDir() !== null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'hg-drill-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  const exec = async (tool: string, args: string[]) => {
    const command = join(bin, tool);
    // As root, run as `postgres`: the directory is handed over first.
    if (isRoot()) return run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 60_000 });
    return run(command, args, { timeout: 60_000 });
  };
  if (isRoot()) {
    chmodSync(dir, 0o777);
    await run('chown', ['postgres:postgres', dir]);
  }
  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // Listens on loopback only, on its own port, with its socket in its own directory.
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off`;
  let running = false;
  const cluster: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await exec('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '30', 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await exec('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
      running = false;
    },
    async destroy() {
      if (running) await cluster.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}
