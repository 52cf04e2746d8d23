import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { stopOnSignals, type Closer } from '../src/startup.js';

/** A process stand-in: signals are emitted by hand, and the exit code is recorded. */
function harness(closers: Closer[], deadlineMs = 1000) {
  const signals = new EventEmitter();
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const record = (level: string) => (obj: object, msg: string) => lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const log = { info: record('info'), warn: record('warn'), error: record('error') };
  let resolveExit: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const codes: number[] = [];
  stopOnSignals(log, closers, {
    deadlineMs,
    signals,
    exit: (code) => {
      codes.push(code);
      resolveExit(code);
    },
  });
  return { signal: (name: 'SIGINT' | 'SIGTERM') => signals.emit(name, name), lines, exited, codes };
}

const never = () => new Promise<void>(() => {});

describe('stopOnSignals', () => {
  it('does nothing until a signal comes', async () => {
    const calls: string[] = [];
    const h = harness([{ name: 'a', close: async () => void calls.push('a') }]);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual([]);
    expect(h.codes).toEqual([]);
  });

  it('runs the closers one after the other, in order, then exits 0', async () => {
    const calls: string[] = [];
    const step = (name: string, ms: number): Closer => ({
      name,
      close: async () => {
        calls.push(`${name} start`);
        await new Promise((r) => setTimeout(r, ms));
        calls.push(`${name} end`);
      },
    });
    const h = harness([step('worker', 20), step('mailer', 0), step('database', 5)]);
    h.signal('SIGTERM');
    expect(await h.exited).toBe(0);
    expect(calls).toEqual(['worker start', 'worker end', 'mailer start', 'mailer end', 'database start', 'database end']);
    expect(h.lines).toEqual([{ level: 'info', obj: { signal: 'SIGTERM' }, msg: 'shutting down' }]);
  });

  it('runs the later closers after one fails, logs the failure and exits 1', async () => {
    const calls: string[] = [];
    const failure = new Error('mail server gone');
    const h = harness([
      {
        name: 'mailer',
        close: async () => {
          throw failure;
        },
      },
      { name: 'database', close: async () => void calls.push('database') },
    ]);
    h.signal('SIGINT');
    expect(await h.exited).toBe(1);
    expect(calls).toEqual(['database']);
    expect(h.lines[1]).toEqual({ level: 'error', obj: { err: failure, closer: 'mailer' }, msg: 'error during shutdown' });
  });

  it('exits 1 at the deadline, naming the closer that hung and the ones not run', async () => {
    const calls: string[] = [];
    const h = harness(
      [
        { name: 'delivery worker', close: async () => void calls.push('worker') },
        { name: 'mailer', close: never },
        { name: 'database', close: async () => void calls.push('database') },
      ],
      30,
    );
    h.signal('SIGTERM');
    expect(await h.exited).toBe(1);
    expect(calls).toEqual(['worker']);
    const last = h.lines.at(-1)!;
    expect(last.level).toBe('error');
    expect(last.obj).toEqual({ hung: 'mailer', skipped: ['database'], deadlineMs: 30 });
    expect(last.msg).toContain('mailer did not finish');
  });

  it('exits 1 at once on a second signal, and only once', async () => {
    const h = harness([{ name: 'server', close: never }], 50);
    h.signal('SIGTERM');
    h.signal('SIGINT');
    expect(await h.exited).toBe(1);
    expect(h.lines.at(-1)).toEqual({ level: 'warn', obj: { signal: 'SIGINT' }, msg: 'second signal during shutdown: exiting now' });
    // The deadline passing later does not end the process a second time.
    await new Promise((r) => setTimeout(r, 80));
    expect(h.codes).toEqual([1]);
  });
});
