import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationDeliveries as d } from '../../src/db/schema/index.js';
import { claimDue, markSent, releaseLeases, renewLeases } from '../../src/notifications/deliveries.repo.js';
import { createWorker } from '../../src/notifications/delivery-worker.js';
import type { Mailer, OutgoingMail } from '../../src/notifications/mailer.js';
import { enqueueDirectMail } from '../../src/notifications/outbox.js';
import { systemResolver } from '../../src/notifications/webhook-sender.js';
import { createTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';

const LEASE_SECONDS = 20;

/** A mailer whose sends wait until the test lets them go: the worker is caught mid-send. */
function heldMailer() {
  const started: OutgoingMail[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const mailer: Mailer = {
    via: 'smtp',
    send: async (mail) => {
      started.push(mail);
      await gate;
    },
    close: async () => {},
  };
  return { mailer, started, release: () => open() };
}

async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('delivery leases', () => {
  let t: TestApp;
  const clock = new TestClock();
  let batch = 0;

  beforeAll(async () => {
    t = await createTestApp({ now: clock.now, config: { deliveryLeaseSeconds: LEASE_SECONDS } });
  });
  afterAll(async () => {
    await t.close();
  });

  /** `count` due direct mails; returns their delivery ids. */
  const queue = async (count: number): Promise<string[]> => {
    batch += 1;
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const mail = { to: `lead-${batch}-${i}@example.org`, subject: 'Lease', text: 'Body', dedupeKey: `lease-${batch}-${i}` };
      const { notificationId } = await t.app.db.transaction((tx) => enqueueDirectMail(tx, mail, clock.now()));
      const [row] = await t.app.db.select({ id: d.id }).from(d).where(inArray(d.notificationId, [notificationId!]));
      ids.push(row!.id);
    }
    return ids;
  };
  const rows = (ids: string[]) => t.app.db.select().from(d).where(inArray(d.id, ids));
  const leaseOf = async (ids: string[]) => new Map((await rows(ids)).map((r) => [r.id, r.leaseUntil?.toISOString() ?? null]));
  const worker = (mailer: Mailer, concurrency: number) =>
    createWorker(testConfig({ workerConcurrency: concurrency, deliveryLeaseSeconds: LEASE_SECONDS }), {
      db: t.app.db,
      mailer,
      tokens: t.app.notifications.tokens,
      site: t.app.site,
      now: clock.now,
      resolver: systemResolver,
      log: t.app.log,
    });

  it('renewLeases extends rows still held, not rows already recorded or never claimed', async () => {
    const [held, sent, unclaimed] = await queue(3);
    const start = clock.now();
    const claimed = await claimDue(t.app.db, start, new Date(start.getTime() + 20_000), 100);
    expect(claimed.map((r) => r.id).sort()).toEqual([held, sent, unclaimed].sort());
    await markSent(t.app.db, [{ id: sent!, via: 'smtp' }], start);
    await t.app.db.update(d).set({ leaseUntil: null }).where(inArray(d.id, [unclaimed!]));

    const until = new Date(start.getTime() + 27_000);
    expect(await renewLeases(t.app.db, [held!, sent!, unclaimed!], until)).toBe(1);
    expect(await leaseOf([held!, sent!, unclaimed!])).toEqual(
      new Map([
        [held, until.toISOString()],
        [sent, null],
        [unclaimed, null],
      ]),
    );
    // Another worker cannot take the renewed row before its new end, and takes it after.
    expect(await claimDue(t.app.db, new Date(start.getTime() + 21_000), new Date(start.getTime() + 41_000), 100)).toEqual([
      expect.objectContaining({ id: unclaimed }),
    ]);
    await t.app.db.update(d).set({ status: 'sent', leaseUntil: null }).where(inArray(d.id, [held!, unclaimed!]));
  });

  it('releaseLeases makes claimed rows due at once', async () => {
    const ids = await queue(2);
    const start = clock.now();
    await claimDue(t.app.db, start, new Date(start.getTime() + 20_000), 100);
    expect(await claimDue(t.app.db, start, new Date(start.getTime() + 20_000), 100)).toEqual([]);
    expect(await releaseLeases(t.app.db, ids, start)).toBe(2);
    expect((await claimDue(t.app.db, start, new Date(start.getTime() + 20_000), 100)).map((r) => r.id).sort()).toEqual([...ids].sort());
    await t.app.db.update(d).set({ status: 'sent', leaseUntil: null }).where(inArray(d.id, ids));
  });

  it('the heartbeat renews what the worker is sending, so a short lease does not free it mid-send', async () => {
    const ids = await queue(1);
    const held = heldMailer();
    const w = worker(held.mailer, 1);
    const draining = w.drain();
    await until(() => held.started.length === 1, 'the send to start');
    const claimedAt = clock.now();
    expect((await leaseOf(ids)).get(ids[0]!)).toBe(new Date(claimedAt.getTime() + 20_000).toISOString());

    // Not yet a third of the lease: nothing to renew.
    clock.advanceSeconds(5);
    expect(await w.renewLeases()).toBe(0);
    clock.advanceSeconds(2);
    expect(await w.renewLeases()).toBe(1);
    expect((await leaseOf(ids)).get(ids[0]!)).toBe(new Date(claimedAt.getTime() + 27_000).toISOString());
    // Past the first lease's end, the row is still this worker's.
    clock.advanceSeconds(15);
    expect(await claimDue(t.app.db, clock.now(), new Date(clock.now().getTime() + 20_000), 100)).toEqual([]);

    held.release();
    expect(await draining).toBe(1);
    expect(await rows(ids)).toEqual([expect.objectContaining({ status: 'sent', leaseUntil: null })]);
    // Recorded: nothing left to renew.
    clock.advanceSeconds(10);
    expect(await w.renewLeases()).toBe(0);
  });

  it('a stopping worker finishes the sends in flight and hands back the rows it has not started', async () => {
    const ids = await queue(6);
    const held = heldMailer();
    const w = worker(held.mailer, 2);
    const draining = w.drain();
    await until(() => held.started.length === 2, 'two sends to start');
    const stopping = w.stop();
    held.release();
    await stopping;
    expect(await draining).toBe(2);

    const after = await rows(ids);
    const sent = after.filter((r) => r.status === 'sent');
    expect(sent.map((r) => r.recipient).sort()).toEqual(held.started.map((m) => m.to).sort());
    // The rest were claimed (twice the slots: four) or never; all are due now, for the next worker.
    const rest = after.filter((r) => r.status === 'pending');
    expect(rest).toHaveLength(4);
    expect(rest.every((r) => r.leaseUntil === null || r.leaseUntil.getTime() <= clock.now().getTime())).toBe(true);
    expect((await claimDue(t.app.db, clock.now(), new Date(clock.now().getTime() + 20_000), 100)).map((r) => r.id).sort()).toEqual(
      rest.map((r) => r.id).sort(),
    );
  });
});
