import { expect } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { ConsoleVisitor } from '../../helpers/console-session.js';
import { test } from '../../helpers/fixtures.js';

// The console's sign-in is limited like the API's login, or it would be the way around the limit.
let t: TestApp;
test.override('appOptions', { config: { loginRateLimit: 2, loginRateWindowSeconds: 3600 } });
test.beforeAll(({ testApp }) => {
  t = testApp;
});

test('answers 429 past the login limit, even to the right password', async ({ viewer }) => {
  const visitor = new ConsoleVisitor(t.app);
  await visitor.get('/admin');
  expect((await visitor.post('/admin/sign-in', { email: viewer.actor.email, password: 'wrong-password' })).statusCode).toBe(401);
  expect((await visitor.post('/admin/sign-in', { email: viewer.actor.email, password: 'wrong-password' })).statusCode).toBe(401);
  const limited = await visitor.post('/admin/sign-in', { email: viewer.actor.email, password: viewer.password });
  expect(limited.statusCode).toBe(429);
  expect(limited.cookies.find((c) => c.name === 'hg_session')).toBeUndefined();
});
