/**
 * The communications lead's first public update (issue 14): a scripted person signs in to the
 * console on a phone-sized Chromium, declares an incident from a template on the Now board and
 * publishes it; then the script loads `/` and looks for it there. Each run has an app of its
 * own (embedded database in memory, the demo data, one template), so no run sees another's
 * incidents.
 *
 * Counted: every interaction the person makes from the board on (a click, a select choice, a
 * field filled, a key chord: one each); sign-in is counted apart. The script acts as fast as the
 * page lets it, with no time to read or think: the times are the software's share of the minute.
 */
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { benchConfig } from './bench-config.js';
import { openDatabase } from '../src/db/client.js';
import { components } from '../src/db/schema/index.js';
import { systemContext } from '../src/modules/context.js';
import { createTemplate } from '../src/modules/templates/index.js';
import { ensureFirstOwner } from '../src/modules/users/users.service.js';
import { seedDemoData } from '../src/seed/demo.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/browser.js';
import { writeSection } from './report.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EMAIL = 'lead@example.com';
const PASSWORD = 'bench-password-1';
const TEMPLATE = 'Webhooks delayed';
const TITLE = 'Webhook deliveries delayed';

interface Run {
  signInSteps: string[];
  boardSteps: string[];
  fromSignInMs: number;
  fromBoardMs: number;
}

/** An app on a fresh in-memory database with the demo data and one template, listening on loopback. */
async function startApp() {
  const database = await openDatabase({ inMemory: true });
  await database.migrate();
  // Plain http on loopback: the session cookie cannot be Secure here.
  const config = benchConfig({ publicUrl: 'http://127.0.0.1' });
  const app = await buildApp({ config, database, ownsDatabase: true, logger: false });
  const { user } = (await ensureFirstOwner(systemContext(app), { email: EMAIL, password: PASSWORD }))!;
  const ctx = { ...systemContext(app), actor: { id: user.id, email: user.email, name: user.name, role: user.role } };
  await seedDemoData(ctx);
  const [webhooks] = await app.db.select().from(components).where(eq(components.name, 'Webhooks'));
  await createTemplate(ctx, {
    name: TEMPLATE,
    title: TITLE,
    severity: 'P2',
    status: 'investigating',
    message: 'Webhook deliveries arrive **late**. We are investigating.',
    componentStatuses: { [webhooks!.id]: 'degraded_performance' },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function oneRun(browser: Browser): Promise<Run> {
  const { app, base } = await startApp();
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    let steps: string[] = [];
    /** One thing the person does, named; the waits around it are the page's, not the person's. */
    const act = async (name: string, step: () => Promise<unknown>) => {
      steps.push(name);
      await step();
    };

    await page.goto(`${base}/admin`);
    const signInStart = performance.now();
    await act('email filled', () => page.getByLabel('Email').fill(EMAIL));
    await act('password filled', () => page.getByLabel('Password').fill(PASSWORD));
    await act('Sign in clicked', () => page.getByRole('button', { name: 'Sign in' }).click());
    await page.getByRole('heading', { name: 'Now' }).waitFor();
    const signInSteps = steps;
    steps = [];

    const boardStart = performance.now();
    await act('Declare incident clicked', () => page.getByRole('link', { name: 'Declare incident' }).first().click());
    await act('template chosen', () => page.getByLabel('Template').selectOption({ label: TEMPLATE }));
    // The template fills the form in the page; the person waits to see it filled.
    await page.waitForFunction(`document.getElementById('title')?.value === ${JSON.stringify(TITLE)}`);
    await act('Publish clicked', () => page.getByRole('button', { name: 'Publish' }).click());
    await page.waitForURL(/\/admin\/incidents\/[0-9a-f-]{36}$/);
    const id = /([0-9a-f-]{36})$/.exec(page.url())![1]!;

    // The script, not the person: the public page at its next load has the incident.
    const reader = await context.newPage();
    await reader.goto(`${base}/`);
    await findIncident(reader, id);
    const visible = performance.now();
    return { signInSteps, boardSteps: steps, fromSignInMs: visible - signInStart, fromBoardMs: visible - boardStart };
  } finally {
    await context.close();
    await app.close();
  }
}

async function findIncident(page: Page, id: string) {
  const link = page.locator(`a[href="/incidents/${id}"]`, { hasText: TITLE }).first();
  if (!(await link.isVisible())) throw new Error(`the incident ${id} is not on / at the first load`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const load = loadavg()[0]!.toFixed(1);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const runs: Run[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const run = await oneRun(browser);
      console.log(`run ${i + 1}: ${run.boardSteps.length} interactions from the board, ${seconds(run.fromSignInMs)} from sign-in, ${seconds(run.fromBoardMs)} from the board`);
      runs.push(run);
    }
  } finally {
    await browser.close();
  }
  const { signInSteps, boardSteps } = runs[0]!;
  const row = (what: string, values: number[]) => `| ${what} | ${seconds(median(values))} | ${seconds(Math.max(...values))} |`;

  writeSection(
    'The communications lead\'s first update',
    `A scripted communications lead (playwright-core, Debian's Chromium, 390 × 800 px, JavaScript
on) signs in to the console, then on the Now board follows **Declare incident**, picks the
template "${TEMPLATE}" (it fills title, severity, status, message and the component's status)
and presses **Publish**; then the script loads \`/\` and finds the incident's link there, at the
first load. Each run has its own app on the embedded database (in memory) with the demo data
and that one template. The script acts as soon as the page lets it: no reading or thinking
time, so the times are the software's share of the person's minute.

**Interactions from the board: ${boardSteps.length}** (the target is at most 6): ${boardSteps.join(', ')}.
Sign-in adds ${signInSteps.length} (${signInSteps.join(', ')}), counted apart. The sign-in time starts
at the first field filled on the loaded sign-in page; the board's at the board shown.

| wall time, ${RUNS} runs | median | max |
| --- | --- | --- |
${row('sign-in to the update visible on `/`', runs.map((r) => r.fromSignInMs))}
${row('Now board to the update visible on `/`', runs.map((r) => r.fromBoardMs))}

Load average when the run began: ${load} on ${availableParallelism()} cores (the machine is
shared). Run alone with \`npm run bench:comms-lead\`.`,
    'Run with `npm run bench`: each script below writes its own section.',
  );
  console.log('\nwrote the communications lead\'s section of BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
