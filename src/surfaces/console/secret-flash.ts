import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';

/**
 * Secrets shown once after a form post (a webhook's signing secret, an API token, a generated
 * password), held in this process's memory between the post and the page its 303 leads to
 * (Post/Redirect/Get): a reload then reloads that page, never the post, so nothing is created
 * twice. The secret never enters a URL (the page is named by a random id) nor the database nor a
 * log; it is handed out once, to the session that made it, within `ttlMs`, and then forgotten.
 */
export interface SecretFlash<T> {
  /** Keeps `value` for `owner` (a session); the id names the page that shows it. */
  put(owner: string, value: T): string;
  /**
   * The value, once: the first call for that owner and id whose `fits` accepts it gets it,
   * every later one nothing. A value `fits` refuses (another page's kind) stays for its page.
   */
  take(owner: string, id: string, fits?: (value: T) => boolean): T | undefined;
}

/** What the console shows once: the kind says which page and which words. */
export type ShownOnce =
  | { kind: 'webhook'; url: string; secret: string }
  | { kind: 'token'; name: string; secret: string }
  | { kind: 'password'; email: string; secret: string };

/** Whose a secret is: the sign-in session that made it (each sign-in is its own session). */
export const flashOwner = (actor: { id: string; sessionId?: string }) => actor.sessionId ?? `user:${actor.id}`;

/** The page's id in its URL: 18 random bytes, base64url. */
export const FlashParams = Type.Object({ flash: Type.String({ pattern: '^[A-Za-z0-9_-]{24}$' }) }, { additionalProperties: false });

export function secretFlash<T>(options: { now: () => Date; ttlMs?: number; max?: number }): SecretFlash<T> {
  const { now, ttlMs = 10 * 60_000, max = 500 } = options;
  const held = new Map<string, { owner: string; value: T; until: number }>();

  function prune(at: number) {
    for (const [id, entry] of held) if (entry.until <= at) held.delete(id);
    // Beyond `max` the oldest go first (a Map iterates in insertion order): memory stays bounded.
    for (const id of held.keys()) {
      if (held.size <= max) break;
      held.delete(id);
    }
  }

  return {
    put(owner, value) {
      const at = now().getTime();
      const id = randomBytes(18).toString('base64url');
      held.set(id, { owner, value, until: at + ttlMs });
      prune(at);
      return id;
    },
    take(owner, id, fits = () => true) {
      const entry = held.get(id);
      // Another session's id shows nothing and leaves the secret to its owner.
      if (!entry || entry.owner !== owner || !fits(entry.value)) return undefined;
      held.delete(id);
      return entry.until > now().getTime() ? entry.value : undefined;
    },
  };
}
