import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Entry points (`src/server.ts`, `src/worker.ts`) run as child processes from source, as
 * `npm run dev` does, for the drills that kill, stop or starve them. Every wait is bounded.
 */
export interface Running {
  child: ChildProcess;
  /** The match of the `ready` pattern in the output. */
  match: RegExpExecArray;
  /** Everything written so far, stdout and stderr together. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  /** Run as this user (`nobody`), through setpriv: root tests a folder another user cannot write. */
  user?: string;
  timeoutMs?: number;
}

function spawnEntry(script: string, env: Record<string, string>, options: SpawnOptions) {
  const node = [process.execPath, '--import', 'tsx', script];
  const [command, ...args] = options.user ? ['setpriv', `--reuid=${options.user}`, '--regid=nogroup', '--clear-groups', ...node] : node;
  const child = spawn(command!, args, { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Starts `script` and resolves once its output matches `ready`; rejects if it exits or takes too long. */
export async function startEntry(script: string, env: Record<string, string>, ready: RegExp, options: SpawnOptions = {}): Promise<Running> {
  const { child, output, exited } = spawnEntry(script, env, options);
  const timeoutMs = options.timeoutMs ?? 180_000;
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = ready.exec(output());
      if (found) {
        clearInterval(timer);
        clearTimeout(deadline);
        resolve(found);
      }
    }, 25);
    const deadline = setTimeout(() => {
      clearInterval(timer);
      child.kill('SIGKILL');
      reject(new Error(`${script} was not ready within ${timeoutMs} ms: ${output()}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearInterval(timer);
      clearTimeout(deadline);
      reject(new Error(`${script} exited (${code ?? signal}) before it was ready: ${output()}`));
    });
  });
  return { child, match, output, exited };
}

/** Runs `script` to its end (a start that is meant to be refused); kills it after `timeoutMs`. */
export async function runToExit(
  script: string,
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const { child, output, exited } = spawnEntry(script, env, options);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const result = await exited;
  clearTimeout(timer);
  return { ...result, output: output() };
}

/** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`, so a hung stop fails the test instead of hanging it). */
export async function stopEntry(running: Pick<Running, 'child' | 'exited'>, signal: NodeJS.Signals, timeoutMs = 20_000) {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return running.exited;
  running.child.kill(signal);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
  const result = await running.exited;
  clearTimeout(timer);
  return result;
}

/** Polls `condition` every 50 ms until it holds; throws after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
