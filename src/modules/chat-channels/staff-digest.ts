import { clockOverdue, digestChatMessage, DIGEST_MAX_INCIDENTS, postmortemOverdueChatMessage, type DigestIncident } from '../../notifications/chat/staff-messages.js';
import { enqueueStaffChat } from '../../notifications/outbox.js';
import { createPeriodicTask, type PeriodicTask } from '../../jobs/periodic-task.js';
import type { SystemContext } from '../context.js';
import { getIncident, listIncidents } from '../incidents/index.js';
import * as repo from './chat-channels.repo.js';

export interface StaffDigestOptions {
  /** 0: no timer (a test calls `tick()` itself). */
  intervalSeconds: number;
  /** After a pass that queued something (committed): the delivery worker can send it now. */
  onSent?: () => void;
}

/** What one pass queued. */
export interface StaffDigestPass {
  digests: number;
  postmortemsOverdue: number;
}

const latest = <T extends { at: string }>(rows: T[]) => rows.reduce<T | null>((a, b) => (a && a.at >= b.at ? a : b), null);

/**
 * The staff channels' timed work: the digest of open incidents every channel's 15–30 minutes,
 * and postmortems past due. Each digest round is claimed on the channel's row (one process
 * sends it), each overdue postmortem by its notification's dedupe key (one message ever).
 */
export class StaffDigest {
  private readonly task: PeriodicTask<StaffDigestPass>;

  constructor(
    private readonly ctx: SystemContext,
    private readonly options: StaffDigestOptions,
  ) {
    this.task = createPeriodicTask({
      name: 'staff digest',
      intervalMs: options.intervalSeconds * 1000,
      jitterRatio: 0.1,
      run: async () => {
        const pass = await this.pass();
        if (pass.digests + pass.postmortemsOverdue > 0) this.options.onSent?.();
        return pass;
      },
      onError: (err) => ctx.log.error({ err }, 'staff digest pass failed'),
    });
  }

  start(): void {
    if (this.options.intervalSeconds > 0) this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass at the current time; overlapping calls share the pass in progress. */
  tick(): Promise<StaffDigestPass> {
    return this.task.runNow();
  }

  private async pass(): Promise<StaffDigestPass> {
    const now = this.ctx.clock();
    return { postmortemsOverdue: await this.postmortemsOverdue(now), digests: await this.digests(now) };
  }

  private async postmortemsOverdue(now: Date): Promise<number> {
    const { db, site } = this.ctx;
    let queued = 0;
    for (const row of await repo.listPostmortemsOverdue(db, now)) {
      const message = postmortemOverdueChatMessage({ incidentId: row.id, title: row.title, severity: row.severity, dueAt: row.dueAt! }, now, site);
      const dedupeKey = `postmortem-overdue:${row.id}:${row.dueAt!.toISOString()}`;
      const result = await db.transaction((tx) => enqueueStaffChat(tx, { event: 'postmortem_overdue', incidentId: row.id, message, dedupeKey }, now));
      if (result.notificationId) queued += 1;
    }
    return queued;
  }

  /** Only while incidents are open: a quiet page sends no digest, and its next incident gets one at once. */
  private async digests(now: Date): Promise<number> {
    // Most passes find no round due: the incidents are read only when one may be (the claim decides).
    const channels = (await repo.listDigestChannels(this.ctx.db)).filter(
      (c) => !c.lastDigestAt || now.getTime() - c.lastDigestAt.getTime() >= c.digestMinutes * 60_000,
    );
    if (channels.length === 0) return 0;
    const open = await listIncidents(this.ctx, 'open');
    if (open.length === 0) return 0;
    const incidents = await this.describe(open.slice(0, DIGEST_MAX_INCIDENTS));
    const message = digestChatMessage({ incidents, open: open.length, overdue: open.filter(clockOverdue).length }, now, this.ctx.site);
    let sent = 0;
    for (const channel of channels) {
      const queued = await this.ctx.db.transaction(async (tx) => {
        if (!(await repo.claimDigestRound(tx, channel.id, now))) return false;
        const result = await enqueueStaffChat(tx, { event: 'digest', channelIds: [channel.id], message, dedupeKey: `digest:${channel.id}:${now.toISOString()}` }, now);
        return result.chats > 0;
      });
      if (queued) sent += 1;
    }
    return sent;
  }

  /** Each incident's last public update and internal note, read from its detail. */
  private async describe(open: Array<{ id: string }>): Promise<DigestIncident[]> {
    const details = await Promise.all(open.map((i) => getIncident(this.ctx, i.id)));
    return details.map((d): DigestIncident => {
      const update = latest(d.updates.filter((u) => u.publishedAt).map((u) => ({ at: u.publishedAt!, body: u.body })));
      const note = latest(d.notes.map((n) => ({ at: n.at, text: n.text })));
      return {
        id: d.id,
        title: d.title,
        severity: d.severity,
        status: d.status,
        draft: d.draft,
        detectedAt: new Date(d.detectedAt),
        acknowledgedAt: d.acknowledgedAt ? new Date(d.acknowledgedAt) : null,
        acknowledgeDueAt: new Date(d.acknowledgeDueAt),
        acknowledgeBreached: d.acknowledgeBreached,
        nextUpdateDueAt: d.nextUpdateDueAt ? new Date(d.nextUpdateDueAt) : null,
        updateOverdue: d.updateOverdue,
        lastPublic: update ? { at: new Date(update.at), body: update.body } : null,
        lastNote: note ? { at: new Date(note.at), text: note.text } : null,
      };
    });
  }
}
