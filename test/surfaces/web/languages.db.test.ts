import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';
import { englishWords, pseudoTranslator } from '../../helpers/pseudo-locale.js';
import { LANGUAGES } from '../../../src/domain/languages.js';
import { languageLocals } from '../../../src/i18n/page-language.js';
import { pageContext, type PageContext } from '../../../src/surfaces/web/route-kit.js';
import { loadHistoryPage, loadIncidentPage, loadStatusPage } from '../../../src/surfaces/web/page-loaders.js';
import { loadMaintenancePage } from '../../../src/surfaces/web/maintenance-model.js';

/**
 * The public page in its languages: `?lang=` picks one, each has its own cached render, links
 * stay in it, and no word of the page escapes the catalogues (the pseudo-locale render).
 * User content is made of words no catalogue has ("Zorblat"), so it cannot hide a leak.
 */

const clock = new TestClock('2026-11-24T10:00:00Z');
let t: TestApp;
let owner: TestUser;
let incidentId: string;
let maintenanceId: string;
let componentId: string;

const api = () => request(t.app.server);
const page = (path: string) => api().get(path).set('Accept', 'text/html');
/** SVG is not text/* to supertest: collect the body as a string. */
const svg = (path: string) =>
  api()
    .get(path)
    .buffer(true)
    .parse((res, cb) => {
      let data = '';
      res.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      res.on('end', () => cb(null, data));
    });

beforeAll(async () => {
  t = await createTestApp({ now: clock.now, config: { pageName: 'Zorblat' } });
  owner = await makeUser(t.app, 'owner');
  const group = await api().post('/api/admin/component-groups').set(owner.auth).send({ name: 'Qwvx' });
  const component = await api()
    .post('/api/admin/components')
    .set(owner.auth)
    .send({ name: 'Frobnitz', description: 'Plugh', groupId: group.body.id, showcase: true });
  componentId = component.body.id;
  await api().post('/api/admin/components').set(owner.auth).send({ name: 'Xyzzy' });
  clock.advance(60 * 60_000);
  const incident = await api()
    .post('/api/admin/incidents')
    .set(owner.auth)
    .send({ title: 'Grault', severity: 'P1', status: 'investigating', message: 'Garply waldo.', componentStatuses: { [componentId]: 'partial_outage' } });
  incidentId = incident.body.id;
  clock.advance(45 * 60_000);
  const resolved = await api().post(`/api/admin/incidents/${incidentId}/resolve`).set(owner.auth).send({ message: 'Fred.', summary: 'Thud.', postmortemDueAt: '2026-12-31T00:00:00Z' });
  const maintenance = await api()
    .post('/api/admin/maintenances')
    .set(owner.auth)
    .send({ title: 'Wibble', body: 'Wobble.', scheduledFor: '2026-11-25T22:00:00Z', scheduledUntil: '2026-11-26T01:00:00Z', componentIds: [componentId] });
  maintenanceId = maintenance.body.id;
  expect([group.status, component.status, incident.status, resolved.status, maintenance.status]).toEqual([201, 201, 201, 200, 201]);
});
afterAll(() => t.close().catch(() => {}));

/**
 * The words a reader sees: text outside tags and the attributes read aloud or shown
 * (aria-label, placeholder, title, alt). Left out: `<time>` contents (dates are Intl's
 * words, not ours), URLs (href/src are never read), and the language switcher's names, each
 * its language's own.
 */
function visibleText(html: string): string {
  const attributes = [...html.matchAll(/\s(?:aria-label|placeholder|title|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<nav class="languages"[\s\S]*?<\/nav>/, ' ')
    .replace(/<time[^>]*>[\s\S]*?<\/time>/g, ' ')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  return [text, ...attributes].join(' ');
}

const ENGLISH_WORDS = englishWords();
const englishIn = (html: string) => [...new Set(visibleText(html).match(/[A-Za-z]{3,}/g) ?? [])].filter((w) => ENGLISH_WORDS.has(w.toLowerCase()));

describe('the pseudo-locale render', () => {
  const pseudo = pseudoTranslator();
  const ctx = (): PageContext => ({ ...pageContext(t.app, 'en'), i18n: pseudo });
  const render = (template: string, model: object, path: string) =>
    t.app.view(template, { ...model, ...languageLocals(path, 'en', 'en'), t: pseudo.t });

  it('leaves no English word on the status page, the history, an incident, a maintenance or an error page', async () => {
    const status = await loadStatusPage(t.app.db, ctx());
    // The fixture shows what the check must see: an incident, bars with a bad day, maintenance.
    expect(Object.values(status.uptime)[0]!.notable.length).toBeGreaterThan(0);
    expect(status.maintenance.upcoming).toHaveLength(1);
    const incident = (await loadIncidentPage(t.app.db, incidentId, ctx()))!;
    const maintenance = (await loadMaintenancePage(t.app.db, maintenanceId, ctx()))!;
    const pages = {
      status: await render('pages/status', status, '/'),
      history: await render('pages/history', await loadHistoryPage(t.app.db, 1, ctx()), '/history'),
      incident: await render('pages/incident', { ...incident, title: incident.incident.title }, `/incidents/${incidentId}`),
      maintenance: await render('pages/maintenance', { ...maintenance, title: maintenance.maintenance.title }, `/maintenances/${maintenanceId}`),
      error: await render('pages/error', { status: 404, message: pseudo.t('error.noIncident'), pageName: 'Zorblat' }, '/'),
      subscription: await render(
        'pages/subscription',
        { heading: pseudo.t('subscription.unsubscribeAsk'), message: pseudo.t('subscription.unsubscribeAskText', { address: 'a@b.test' }), unsubscribeAction: '/unsubscribe/x', pageName: 'Zorblat' },
        '/unsubscribe/x',
      ),
    };
    expect(pages.status).toContain('Frobnitz');
    expect(pages.incident).toContain('Garply waldo.');
    for (const [name, html] of Object.entries(pages)) expect(englishIn(html), name).toEqual([]);
  });

  it('would catch a word left in a template', async () => {
    expect(englishIn('<p>Incident history</p><time>Nov 24</time><a href="/history">x</a>')).toEqual(['Incident', 'history']);
  });
});

describe('?lang=', () => {
  it('renders the page in the language asked for, with lang, hreflang alternates and a switcher', async () => {
    const res = await page('/?lang=de');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain('Komponenten');
    expect(res.text).toContain('Vergangene Störungen');
    for (const lang of LANGUAGES) {
      const href = lang === 'en' ? '/' : `/?lang=${lang}`;
      expect(res.text).toContain(`<link rel="alternate" hreflang="${lang}" href="${href}">`);
    }
    expect(res.text).toContain('<link rel="alternate" hreflang="x-default" href="/">');
    expect(res.text).toMatch(/<nav class="languages" aria-label="Sprache">/);
    expect(res.text).toContain('<a href="/?lang=de" lang="de" hreflang="de" aria-current="true">Deutsch</a>');
  });

  it('keeps the language in the page’s links and its subscribe form', async () => {
    const res = await page('/?lang=fr');
    expect(res.text).toContain('href="/history?lang=fr"');
    expect(res.text).toContain(`href="/incidents/${incidentId}?lang=fr"`);
    expect(res.text).toContain('href="/feed.rss?lang=fr"');
    expect(res.text).toContain('<input type="hidden" name="lang" value="fr">');
    // The Statuspage API has no language: its link stays as it is.
    expect(res.text).toContain('href="/api/v2/summary.json"');
  });

  it('serves the default language for an unknown or missing ?lang=, and takes any letter case', async () => {
    const english = await page('/');
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('>Components<');
    const unknown = await page('/?lang=xx');
    expect(unknown.status).toBe(200);
    expect(unknown.text).toBe(english.text);
    expect((await page('/?lang=DE')).text).toContain('<html lang="de">');
  });

  it('keeps one cached render per language, under the default page’s own key for the default language', async () => {
    await page('/');
    await page('/?lang=ja');
    expect(t.app.publicCache.fresh('page:/')).toBeDefined();
    expect(t.app.publicCache.fresh('page:/#lang=ja')).toBeDefined();
    expect(t.app.publicCache.fresh('page:/#lang=es')).toBeUndefined();
  });

  it('makes every language’s render stale on a write', async () => {
    const before = await page('/?lang=es');
    expect(before.text).toContain('Operativo');
    const res = await api().patch(`/api/admin/components/${componentId}`).set(owner.auth).send({ status: 'major_outage' });
    expect(res.status).toBe(200);
    expect(t.app.publicCache.fresh('page:/#lang=es')).toBeUndefined();
    expect(t.app.publicCache.fresh('page:/')).toBeUndefined();
    expect((await page('/?lang=es')).text).toContain('Interrupción grave');
    expect((await page('/')).text).toContain('Major System Outage');
  });

  it('translates the history, an incident, a maintenance and their 404s', async () => {
    expect((await page('/history?lang=pt')).text).toContain('Histórico de incidentes');
    const incident = await page(`/incidents/${incidentId}?lang=ja`);
    expect(incident.text).toContain('<html lang="ja">');
    expect(incident.text).toContain('更新情報');
    expect(incident.text).toContain('解決済み');
    expect((await page(`/maintenances/${maintenanceId}?lang=de`)).text).toContain('Geplante Wartung');
    const missing = await page('/incidents/00000000-0000-4000-8000-000000000000?lang=fr');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Cet incident n’existe pas.');
    const route = await page('/no-such-page?lang=de');
    expect(route.status).toBe(404);
    expect(route.text).toContain('Diese Seite gibt es nicht.');
    expect(route.text).toContain('<html lang="de">');
  });

  it('answers the subscription form in the language of the page it was on', async () => {
    const res = await api().post('/subscribe').type('form').send({ email: 'leser@example.test', lang: 'de' });
    expect(res.status).toBe(202);
    expect(res.text).toContain('Sehen Sie in Ihr Postfach');
    const bad = await page('/subscribe/confirm/nonsense?lang=es');
    expect(bad.text).toContain('Este enlace no funciona');
  });

  it('writes the feeds’ own words in the language, and names it in the feed', async () => {
    const rss = await api().get('/feed.rss?lang=de');
    expect(rss.status).toBe(200);
    expect(rss.text).toContain('<language><![CDATA[de]]></language>');
    expect(rss.text).toContain('Zorblat — Störungsmeldungen');
    expect(rss.text).toContain('[Behoben] Grault');
    expect(rss.text).toContain('[Wartung · Geplant] Wibble');
    const atom = await api().get('/feed.atom?lang=fr');
    expect(atom.text).toContain('<link rel="self" href="https://status.example.test/feed.atom?lang=fr"/>');
    expect(atom.text).toContain('[Résolu] Grault');
    // The default language's feed is the one it always was.
    expect((await api().get('/feed.rss')).text).toContain('[Resolved] Grault');
  });

  it('writes the badges’ words in the language', async () => {
    const overall = await svg('/badge.svg?lang=fr');
    expect(overall.status).toBe(200);
    expect(overall.body).toContain('aria-label="état: panne majeure"');
    const component = await svg(`/components/${componentId}/badge.svg?lang=ja`);
    expect(component.body).toContain('aria-label="Frobnitz: 重大な障害"');
    const unknown = await svg('/components/nope/badge.svg?lang=de');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('aria-label="Status: unbekannt"');
    expect((await svg('/badge.svg')).body).toContain('aria-label="status: major outage"');
  });
});

describe('an update’s translations', () => {
  let id: string;
  let updateId: string;

  beforeAll(async () => {
    const incident = await api()
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Corge', severity: 'P2', status: 'investigating', message: 'Quux **spam**.', messages: { de: 'Wir **untersuchen** das <img src=x onerror=alert(1)>.' } });
    expect(incident.status, JSON.stringify(incident.body)).toBe(201);
    id = incident.body.id;
    updateId = incident.body.updates[0].id;
  });

  it('are kept as written and given back by the API', async () => {
    const res = await api().get(`/api/admin/incidents/${id}`).set(owner.auth);
    expect(res.body.updates[0].messages).toEqual({ de: 'Wir **untersuchen** das <img src=x onerror=alert(1)>.' });
    expect(res.body.updates[0].body).toBe('Quux **spam**.');
  });

  it('are shown, sanitised, to readers of their language, and the message to every other', async () => {
    const german = await page(`/incidents/${id}?lang=de`);
    expect(german.text).toContain('Wir <strong>untersuchen</strong> das');
    expect(german.text).not.toContain('onerror');
    expect(german.text).not.toContain('Quux');
    const french = await page(`/incidents/${id}?lang=fr`);
    expect(french.text).toContain('Quux <strong>spam</strong>.');
    expect((await page('/?lang=de')).text).toContain('Wir <strong>untersuchen</strong> das');
    expect((await page('/')).text).toContain('Quux <strong>spam</strong>.');
  });

  it('reach the feed of their language', async () => {
    const feed = await api().get('/feed.atom?lang=de');
    expect(feed.text).toContain(`update-${updateId}`);
    expect(feed.text).toContain('untersuchen');
    expect((await api().get('/feed.atom')).text).not.toContain('untersuchen');
  });

  it('leave the Statuspage API with the message as written', async () => {
    const res = await api().get('/api/v2/incidents.json');
    expect(JSON.stringify(res.body)).toContain('Quux **spam**.');
    expect(JSON.stringify(res.body)).not.toContain('untersuchen');
  });

  it('refuse a language that is not shipped', async () => {
    const res = await api().post(`/api/admin/incidents/${id}/updates`).set(owner.auth).send({ status: 'identified', message: 'Ok.', messages: { xx: 'Nope.' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.any(String));
  });
});


// Last in the file: it closes this file's database.
describe('when the database is unreachable', () => {
  it('serves each language’s last good render with the out-of-date notice in its language, and the error page in it', async () => {
    expect((await page('/?lang=de')).status).toBe(200);
    await t.database.close();
    t.app.publicCache.invalidate();
    const stale = await page('/?lang=de');
    expect(stale.status).toBe(200);
    expect(stale.text).toMatch(/<p class="meta stale-notice" role="status">Diese Seite ist möglicherweise einige Minuten alt[^<]*<\/p>/);
    const never = await page('/history?page=9&lang=fr');
    expect(never.status).toBe(503);
    expect(never.text).toContain('La page d’état ne peut pas être affichée pour le moment.');
  });
});
