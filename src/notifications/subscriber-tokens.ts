import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Subscriber link tokens. A token is HMAC-SHA256(key, purpose:id:nonce); the database keeps the
 * nonce and the token's SHA-256 (to find the subscriber again), never the token. Whoever reads
 * the database lacks the key; the worker has it and rebuilds the unsubscribe link of every mail.
 */
export type TokenPurpose = 'confirm' | 'unsubscribe';

export class SubscriberTokens {
  private readonly key: Buffer;

  /** The key is derived from the JWT secret, which every server and worker already shares. */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('heliograph subscriber link tokens v1').digest();
  }

  static nonce(): string {
    return randomBytes(16).toString('base64url');
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  token(purpose: TokenPurpose, subscriberId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${purpose}:${subscriberId}:${nonce}`).digest('base64url');
  }

  /** A fresh nonce with the hash to store for it. */
  issue(purpose: TokenPurpose, subscriberId: string): { nonce: string; hash: string } {
    const nonce = SubscriberTokens.nonce();
    return { nonce, hash: SubscriberTokens.hash(this.token(purpose, subscriberId, nonce)) };
  }
}

/** Tokens are base64url of 32 bytes: anything else is not worth a query. */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';
