import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/**
 * A console visitor without a browser: a cookie jar over `app.inject`, reading the CSRF token of
 * the last page it was shown, as a browser's form would send it.
 */
export class ConsoleVisitor {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token) this.csrf = token[1]!;
    return response;
  }

  async get(url: string) {
    return this.remember(await this.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.cookies), headers: { accept: 'text/html' } }));
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields say otherwise (or `null`: none at all). */
  async post(url: string, fields: Record<string, string | string[] | null> = {}) {
    const { _csrf, ...rest } = fields;
    const body = new URLSearchParams();
    if (_csrf !== null) body.append('_csrf', typeof _csrf === 'string' ? _csrf : this.csrf);
    for (const [name, value] of Object.entries(rest)) for (const v of [value ?? []].flat()) body.append(name, v);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        cookies: Object.fromEntries(this.cookies),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: body.toString(),
      }),
    );
  }

  async signIn(email: string, password: string) {
    await this.get('/admin');
    return this.post('/admin/sign-in', { email, password });
  }
}

/** A visitor signed in as `user` through the sign-in form (a 303 to the board, or the test fails). */
export async function signedInVisitor(app: FastifyInstance, user: { actor: { email: string }; password: string }): Promise<ConsoleVisitor> {
  const visitor = new ConsoleVisitor(app);
  expect((await visitor.signIn(user.actor.email, user.password)).statusCode).toBe(303);
  return visitor;
}
