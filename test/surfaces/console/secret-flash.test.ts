import { describe, expect, it } from 'vitest';
import { secretFlash } from '../../../src/surfaces/console/secret-flash.js';

describe('the one-time secret flash', () => {
  let at = Date.parse('2026-12-07T10:00:00Z');
  const now = () => new Date(at);

  it('gives a secret once, to the session that made it', () => {
    const flash = secretFlash<string>({ now });
    const id = flash.put('session-a', 'hg_secret');
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(flash.take('session-b', id)).toBeUndefined();
    expect(flash.take('session-a', id)).toBe('hg_secret');
    expect(flash.take('session-a', id)).toBeUndefined();
  });

  it('forgets a secret not looked at within its time', () => {
    const flash = secretFlash<string>({ now, ttlMs: 60_000 });
    const id = flash.put('s', 'x');
    at += 60_000;
    expect(flash.take('s', id)).toBeUndefined();
  });

  it('keeps at most `max`, dropping the oldest', () => {
    const flash = secretFlash<number>({ now, max: 2 });
    const ids = [1, 2, 3].map((n) => flash.put('s', n));
    expect(ids.map((id) => flash.take('s', id))).toEqual([undefined, 2, 3]);
  });

  it('leaves a secret another page would show for that page', () => {
    const flash = secretFlash<{ kind: string }>({ now });
    const id = flash.put('s', { kind: 'webhook' });
    // The users page asked with a webhook's id: nothing shown, and the webhook page still has it.
    expect(flash.take('s', id, (v) => v.kind !== 'webhook')).toBeUndefined();
    expect(flash.take('s', id, (v) => v.kind === 'webhook')).toEqual({ kind: 'webhook' });
  });
});
