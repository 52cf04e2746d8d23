import { describe, expect, it } from 'vitest';
import { buildMaintenanceSection } from '../../../src/surfaces/web/maintenance-model.js';
import type { MaintenanceStatus } from '../../../src/domain/vocabulary.js';
import { translator } from '../../../src/i18n/translator.js';

const now = new Date('2026-11-24T10:00:00Z');
const ctx = { pageName: 'P', timeZone: 'Europe/Berlin', now, i18n: translator('en') };
let n = 0;
const input = (status: MaintenanceStatus, from: string, until: string) => {
  n += 1;
  return {
    maintenance: {
      id: `m${n}`,
      title: `M${n}`,
      body: 'Work.',
      bodyHtml: null,
      status,
      scheduledFor: new Date(from),
      scheduledUntil: new Date(until),
      autoStart: true,
      autoComplete: true,
      startedAt: null,
      verifyingAt: null,
      completedAt: null,
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    },
    componentNames: [],
    updates: [],
  };
};

describe('buildMaintenanceSection', () => {
  it('splits under way from upcoming, upcoming soonest first, and stops 14 days out', () => {
    const section = buildMaintenanceSection(
      [
        input('scheduled', '2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'),
        input('scheduled', '2026-11-25T10:00:00Z', '2026-11-25T11:00:00Z'),
        input('scheduled', '2026-12-08T10:00:00Z', '2026-12-08T11:00:00Z'),
        input('in_progress', '2026-11-24T09:00:00Z', '2026-11-24T12:00:00Z'),
        input('verifying', '2026-11-24T08:00:00Z', '2026-11-24T11:00:00Z'),
        input('completed', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z'),
      ],
      ctx,
    );
    expect(section.upcoming.map((m) => m.title)).toEqual(['M2', 'M1']);
    expect(section.active.map((m) => m.title)).toEqual(['M5', 'M4']);
  });

  it('reads the window in the display zone: 23:30 UTC is the next day in Berlin', () => {
    const [m] = buildMaintenanceSection([input('scheduled', '2026-11-24T23:30:00Z', '2026-11-25T01:00:00Z')], ctx).upcoming;
    expect(m!.window).toBe('Nov 25, 2026, 00:30 – 02:00 GMT+1');
    expect(m!.duration).toBe('1 h 30 min');
    // The page shows the start as "in 13 hours" with the reader's clock (public/page.js); the model gives the instant.
    expect(m!.scheduledFor).toEqual({ iso: '2026-11-24T23:30:00.000Z', text: 'Nov 25, 2026, 00:30 GMT+1' });
    expect(m!.url).toBe(`/maintenances/${m!.id}`);
  });
});
