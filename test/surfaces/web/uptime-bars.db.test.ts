import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createComponent, updateComponent } from '../../../src/modules/components/components.service.js';
import type { TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';
import { actingAs } from '../../helpers/context.js';
import { loadStatusPage } from '../../../src/surfaces/web/page-loaders.js';
import { pageContext } from '../../../src/surfaces/web/route-kit.js';
import { translator } from '../../../src/i18n/translator.js';
import type { Language } from '../../../src/domain/languages.js';

/**
 * The 90-day bars on the status page, from status changes recorded through the service at
 * chosen times. The display zone is New York: its DST change on Nov 1 is inside the window.
 */
const clock = new TestClock('2026-11-24T12:00:00Z');
let t: TestApp;
let owner: TestUser;
let api: { id: string };

test.override('appOptions', { now: clock.now, config: { displayTimeZone: 'America/New_York' } });
test.beforeAll(async ({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
  api = await createComponent(actingAs(t.app, owner.actor, new Date('2026-11-01T00:00:00Z')), { name: 'Payments <API>' });
  await updateComponent(actingAs(t.app, owner.actor, new Date('2026-11-20T23:30:00Z')), api.id, { status: 'major_outage' });
  await updateComponent(actingAs(t.app, owner.actor, new Date('2026-11-21T00:12:00Z')), api.id, { status: 'operational' });
  await createComponent(actingAs(t.app, owner.actor, new Date('2026-10-01T00:00:00Z')), { name: 'Internal cron', showcase: false });
  t.app.publicCache.invalidate();
});

const page = async () => (await request(t.app.server).get('/')).text;
/** Each row of bars: the tone of each of its days, read from its strokes, and its words. */
interface Row {
  tones: string[];
  /** The sentence read in place of the bars. */
  spoken: string;
  /** The listed days with issues, newest first. */
  issues: string[];
}
const rowsOf = (html: string): Row[] =>
  [...html.matchAll(/<div class="uptime">([\s\S]*?)<\/div>/g)].map(([, row]) => {
    const tones: string[] = [];
    for (const [, tone, path] of row!.matchAll(/<path class="u-([a-z_]+)" d="([^"]+)"\/>/g)) {
      for (const [, from, length] of path!.matchAll(/M(\d+) \.5h(\d+)/g)) {
        for (let i = Number(from); i < Number(from) + Number(length); i += 1) tones[i] = tone!;
      }
    }
    const spoken = row!.match(/<p class="visually-hidden">([^<]*)<\/p>/)![1]!;
    const issues = [...row!.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
    return { tones, spoken, issues };
  });
const labelIndex = (label: string) => Array.from({ length: 90 }, (_, i) => labelOf(i)).indexOf(label);
/** Day `i` of the window, as the bars name it. */
const labelOf = (i: number) =>
  new Date(Date.parse('2026-08-27T00:00:00Z') + i * 86_400_000).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });

describe('uptime bars on GET /', () => {
  it('shows 90 bars with their text for each showcased component, none for the others', async () => {
    const html = await page();
    const rows = rowsOf(html);
    expect(rows).toHaveLength(1);
    const { tones, spoken, issues } = rows[0]!;
    expect(tones).toHaveLength(90);
    expect(tones.every(Boolean)).toBe(true);
    expect(tones[labelIndex('Oct 31')]).toBe('none');
    expect(spoken).toContain('Aug 27 – Oct 31: no data; ');
    expect(tones[labelIndex('Nov 20')]).toBe('major_outage');
    expect(issues).toContain('Nov 20: major outage for 30 min');
    expect(tones[labelIndex('Nov 21')]).toBe('major_outage');
    expect(issues).toContain('Nov 21: major outage for 12 min');
    expect(tones.at(-1)).toBe('operational');
    expect(spoken).toMatch(/Nov 1 – Nov 24: 2 days with issues, listed below; no downtime on the others\.$/);
    expect(html).toContain('<p class="visually-hidden">Payments &lt;API&gt;, status by UTC day');
    // 42 minutes down out of 23.5 days known.
    expect(html).toContain('99.87% uptime');
    expect(html).toContain('2 days with issues');
  });

  it('gives the DST change of the display zone neither a missing nor a doubled bar', async () => {
    const { tones, spoken } = rowsOf(await page())[0]!;
    expect(tones).toHaveLength(90);
    const labels = tones.map((_, i) => labelOf(i));
    expect(new Set(labels).size).toBe(90);
    expect(labels.slice(labels.indexOf('Oct 31'), labels.indexOf('Oct 31') + 3)).toEqual(['Oct 31', 'Nov 1', 'Nov 2']);
    // The last day without data and the first with it are neighbours in the words too.
    expect(spoken).toContain('Oct 31: no data; Nov 1 – ');
  });

  it('shows a status change at once: the write invalidates the render', async () => {
    await request(t.app.server).get('/');
    clock.set('2026-11-24T12:30:00Z');
    const res = await request(t.app.server)
      .patch(`/api/admin/components/${api.id}`)
      .set(owner.auth)
      .send({ status: 'partial_outage' });
    expect(res.status).toBe(200);
    clock.set('2026-11-24T13:00:00Z');
    const row = rowsOf(await page())[0]!;
    expect(row.tones.at(-1)).toBe('partial_outage');
    expect(row.issues[0]).toBe('Nov 24: partial outage for 30 min');
  });

  it('pastes in each row kept between renders exactly as the template renders it from the page’s data, through writes and languages', async () => {
    const rowFromScratch = async (lang: Language) => {
      // Read without the route's kept days and models: the data as it is now.
      const model = await loadStatusPage(t.app.db, pageContext(t.app, lang));
      const html = await t.app.view('partials/uptime', { uptime: model.uptime[api.id], name: 'Payments <API>', t: translator(lang).t });
      return html.trim();
    };
    for (const step of ['before', 'after a write'] as const) {
      if (step === 'after a write') {
        clock.set('2026-11-24T13:10:00Z');
        await request(t.app.server).patch(`/api/admin/components/${api.id}`).set(owner.auth).send({ status: 'degraded_performance' }).expect(200);
        clock.set('2026-11-24T13:20:00Z');
      }
      for (const lang of ['en', 'de'] as const) {
        const html = (await request(t.app.server).get(lang === 'en' ? '/' : `/?lang=${lang}`)).text;
        const row = await rowFromScratch(lang);
        expect(row).toContain('<div class="uptime">');
        expect(html, `${step}, ${lang}`).toContain(row);
      }
    }
  });
});
