import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations, horizontalOverflow } from './browser.js';

/**
 * What the console's browser tests share: a phone-sized page that records every problem a
 * reader would meet, the checks each screen must pass, and signing in through the form.
 */

/** A 390 px context whose page records console errors, failed scripts and error answers in `problems`. */
export async function consolePhone(browser: Browser, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  // A step that cannot happen fails with its own message, not the whole test's timeout.
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  return { context, page, problems };
}

/** No sideways scrolling at 390 px and no axe-core violations, on the page as it is now. */
export async function auditScreen(page: Page): Promise<void> {
  expect(await horizontalOverflow(page), page.url()).toBe(0);
  expect(await accessibilityViolations(page), page.url()).toEqual([]);
}

/**
 * Signs in at `/admin` with the form, as a person would, and waits for the Now board;
 * `onSignInPage` runs on the sign-in page before anything is typed (to audit it).
 */
export async function signInWithForm(
  page: Page,
  base: string,
  user: { actor: { email: string }; password: string },
  onSignInPage?: (page: Page) => Promise<void>,
): Promise<void> {
  await page.goto(`${base}/admin`);
  await onSignInPage?.(page);
  await page.getByLabel('Email').fill(user.actor.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Now' }).waitFor();
}
