import { describe, expect, it } from 'vitest';
import { CHAT_PLATFORMS } from '../../../src/domain/notification-vocabulary.js';
import { escapeDiscord } from '../../../src/notifications/chat/discord.js';
import { escapeGoogleChatText } from '../../../src/notifications/chat/google-chat.js';
import { escapeMattermost } from '../../../src/notifications/chat/mattermost.js';
import { clip, type ChatMessage } from '../../../src/notifications/chat/message.js';
import { publicChatMessage } from '../../../src/notifications/chat/public-events.js';
import { renderChat } from '../../../src/notifications/chat/render.js';
import { escapeSlack } from '../../../src/notifications/chat/slack.js';
import { escapeTeams } from '../../../src/notifications/chat/teams.js';
import { PLATFORM_CHECKS } from '../../helpers/chat-platforms.js';

const site = { pageName: 'Example Status', publicUrl: 'https://status.example.test', timeZone: 'Pacific/Chatham' };

const message = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  title: 'Database unavailable',
  status: 'Investigating · major impact',
  tone: 'danger',
  summary: 'We are looking into it.',
  fields: [{ label: 'Affected', value: 'API (major outage)' }],
  links: [{ label: 'View incident', url: 'https://status.example.test/incidents/1' }],
  sections: [],
  footer: 'Example Status',
  ...over,
});

/** A message at every limit at once: long texts, many fields, many sections. */
const huge = message({
  title: 'T'.repeat(1000),
  status: 'S'.repeat(5000),
  summary: 'x'.repeat(50_000),
  fields: Array.from({ length: 60 }, (_, i) => ({ label: `L${i}`.repeat(100), value: 'v'.repeat(5000) })),
  links: Array.from({ length: 40 }, (_, i) => ({ label: 'link'.repeat(50), url: `https://status.example.test/${i}` })),
  sections: Array.from({ length: 80 }, (_, i) => ({
    title: `Incident ${i}`.repeat(40),
    text: 'y'.repeat(5000),
    fields: Array.from({ length: 30 }, () => ({ label: 'k', value: 'z'.repeat(3000) })),
    link: { label: 'Open', url: `https://status.example.test/admin/incidents/${i}` },
  })),
});

describe('chat renderers', () => {
  for (const platform of CHAT_PLATFORMS) {
    it(`${platform}: a plain message and one past every limit both meet the platform's required fields and limits`, () => {
      expect(PLATFORM_CHECKS[platform](renderChat(platform, message()))).toEqual([]);
      expect(PLATFORM_CHECKS[platform](renderChat(platform, huge))).toEqual([]);
      expect(PLATFORM_CHECKS[platform](renderChat(platform, message({ status: null, summary: '', fields: [], links: [] })))).toEqual([]);
    });
  }

  it('Slack: header, summary section, fields, link buttons, and a plain-text fallback', () => {
    const body = renderChat('slack', message()) as { text: string; blocks: Array<Record<string, unknown>> };
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'actions', 'context']);
    expect(body.text).toContain('Database unavailable');
    expect(body.blocks[4]).toMatchObject({ elements: [{ type: 'button', url: 'https://status.example.test/incidents/1' }] });
  });

  it('Teams: one Adaptive Card attachment with the link as an OpenUrl action', () => {
    const body = renderChat('teams', message()) as { attachments: Array<{ contentType: string; content: Record<string, unknown> }> };
    expect(body.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0]!.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4', actions: [{ type: 'Action.OpenUrl', url: 'https://status.example.test/incidents/1' }] });
  });

  it('Discord: an embed in the tone colour, and mentions never parsed', () => {
    const body = renderChat('discord', message()) as { embeds: Array<Record<string, unknown>>; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]).toMatchObject({ title: 'Database unavailable', url: 'https://status.example.test/incidents/1', color: 0xc62828 });
  });

  it('Mattermost and Google Chat: attachments with a fallback; a card with a header and a link button', () => {
    expect(renderChat('mattermost', message())).toMatchObject({ attachments: [{ fallback: expect.any(String), color: '#c62828', title_link: 'https://status.example.test/incidents/1' }] });
    expect(renderChat('google_chat', message())).toMatchObject({
      text: expect.stringContaining('Database unavailable'),
      cardsV2: [{ cardId: 'heliograph', card: { header: { title: 'Database unavailable' } } }],
    });
  });

  // A responder's words must not ping a whole channel or turn into links of their choosing.
  it('escapes what pings everyone or makes a link, on each platform', () => {
    const text = 'Hi <!channel> @everyone @here <users/all> [click](https://evil.test) <https://evil.test|click>';
    expect(escapeSlack(text)).not.toMatch(/<!channel>|<https/);
    expect(escapeDiscord(text)).not.toMatch(/[^\\][[\]()]/);
    expect(escapeMattermost(text)).not.toMatch(/@(everyone|here|channel|all)\b/);
    expect(escapeMattermost(text)).not.toMatch(/[^\\]</);
    expect(escapeGoogleChatText(text)).not.toContain('<users/all>');
    const teams = JSON.stringify(renderChat('teams', message({ summary: text })));
    expect(teams).not.toContain('[click](https://evil.test)');
    const html = JSON.stringify(renderChat('google_chat', message({ summary: '<a href="https://evil.test">x</a>' })));
    expect(html).not.toContain('<a href');
  });

  // Teams reads bold, italics, lists and links, and nothing else (cards-format, Microsoft):
  // each is neutralised, and a backslash goes nowhere it is not needed, as mobile clients
  // long showed it literally.
  describe('Teams escaping', () => {
    const ZWSP = '\u200b';
    it('breaks a link between `]` and `(` with a zero-width space, not a backslash', () => {
      expect(escapeTeams('[click](https://evil.test)')).toBe(`[click]${ZWSP}(https://evil.test)`);
      expect(escapeTeams('[click][1]')).toBe(`[click]${ZWSP}[1]${ZWSP}`);
      expect(escapeTeams('<https://evil.test> <at>all</at>')).toBe(`<${ZWSP}https://evil.test> <${ZWSP}at>all<${ZWSP}/at>`);
    });
    it('escapes emphasis: every `*`, and a `_` that can open or close it, not one inside a word', () => {
      expect(escapeTeams('**down** _now_')).toBe('\\*\\*down\\*\\* \\_now\\_');
      expect(escapeTeams('db_primary_1 is down')).toBe('db_primary_1 is down');
    });
    it('escapes list markers at a line start only', () => {
      expect(escapeTeams('- one\n1. two\n2) three')).toBe('\\- one\n1\\. two\n2\\) three');
      expect(escapeTeams('a - b, version 1.2')).toBe('a - b, version 1.2');
    });
    it('leaves alone what Teams shows as it is: no stray backslash before # > ~ ` or parentheses', () => {
      expect(escapeTeams('#42 > 3 ~ok~ `x` (eu-west)')).toBe('#42 > 3 ~ok~ `x` (eu-west)');
      expect(escapeTeams('C:\\Temp and a\\b')).toBe('C:\\Temp and a\\b');
    });
    it('doubles a typed backslash only where it would escape the punctuation after it', () => {
      expect(escapeTeams('a\\*b')).toBe('a\\\\\\*b');
      expect(escapeTeams('a\\]b')).toBe(`a\\\\]${ZWSP}b`);
    });
    it('escapes the title, texts and facts of the card', () => {
      const body = JSON.stringify(renderChat('teams', message({ title: '*x*', summary: '[a](b)', fields: [{ label: '_l_', value: '[v](w)' }] })));
      expect(body).not.toMatch(/\]\(/);
      expect(body).not.toMatch(/[^\\]\*x/);
      expect(body).toContain('\\\\_l\\\\_');
    });
  });

  // Google Chat: `text` has Chat syntax with mentions and `<url|label>` links and no escape;
  // card widgets are an HTML subset; the card header's title is plain.
  describe('Google Chat escaping', () => {
    const card = (over: Partial<ChatMessage>) => renderChat('google_chat', message(over)) as { text: string; cardsV2: Array<{ card: { header: { title: string; subtitle: string }; sections: Array<{ header?: string; widgets: Array<Record<string, { text?: string; topLabel?: string; buttons?: Array<{ text: string }> }>> }> } }> };
    it('keeps `<users/all>` and `<url|label>` from the headline text, adding no backslash', () => {
      const { text } = card({ title: 'Hi <users/all> see <https://evil.test|docs>', status: '*bold* _it_' });
      expect(text).not.toMatch(/<users|<https/);
      expect(text).not.toContain('\\');
      expect(text.replaceAll('\u200b', '')).toBe('Hi <users/all> see <https://evil.test|docs> — *bold* _it_');
    });
    it('escapes card widget text as HTML', () => {
      const { cardsV2 } = card({ summary: '<a href="https://evil.test">x</a> & co', fields: [{ label: 'L', value: '<b>v</b>' }] });
      const widgets = cardsV2[0]!.card.sections[0]!.widgets;
      expect(widgets[0]!.textParagraph!.text).toBe('&lt;a href=&quot;https://evil.test&quot;&gt;x&lt;/a&gt; &amp; co');
      expect(widgets[1]!.decoratedText!.text).toBe('&lt;b&gt;v&lt;/b&gt;');
    });
    it('keeps any tag from forming in the plain header, subtitle, labels and buttons, with no entity to show', () => {
      const { cardsV2 } = card({ title: '<a href="x">T</a> & co', status: '<b>s</b>', fields: [{ label: '<i>L</i>', value: 'v' }], links: [{ label: '<b>Open</b>', url: 'https://status.example.test/' }] });
      const { header, sections } = cardsV2[0]!.card;
      expect(header.title).toBe('<\u200ba href="x">T<\u200b/a> & co');
      expect(header.subtitle).toBe('<\u200bb>s<\u200b/b> · Example Status');
      expect(JSON.stringify(sections)).not.toMatch(/<[a-z/]/);
      expect(JSON.stringify(sections)).not.toContain('&amp;lt;');
    });
  });

  it('clips to a limit with an ellipsis, never splitting a surrogate pair', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('abc', 3)).toBe('abc');
  });
});

describe('public events as chat messages', () => {
  const page = { id: 'p', status_indicator: 'major', status_description: 'Partial System Outage' };
  const incident = {
    name: 'Checkout errors',
    status: 'identified',
    impact: 'major',
    shortlink: 'https://status.example.test/incidents/abc',
    incident_updates: [{ status: 'identified', body: 'Found it.' }, { status: 'investigating', body: 'Looking.' }],
    components: [{ name: 'Checkout', status: 'partial_outage' }],
  };

  it('an incident update: its latest update, its components, the page status and a link', () => {
    expect(publicChatMessage('incident.update', { page, incident }, site)).toEqual({
      title: 'Checkout errors',
      status: 'Identified · major impact',
      tone: 'danger',
      summary: 'Found it.',
      fields: [
        { label: 'Affected', value: 'Checkout (partial outage)' },
        { label: 'Page status', value: 'Partial System Outage' },
      ],
      links: [{ label: 'View incident', url: 'https://status.example.test/incidents/abc' }],
      sections: [],
      footer: 'Example Status',
    });
    expect(publicChatMessage('incident.resolved', { page, incident }, site)).toMatchObject({ status: 'Resolved', tone: 'good' });
  });

  it('a component change, a maintenance and a postmortem', () => {
    expect(publicChatMessage('component.update', { page, component: { name: 'API' }, component_update: { old_status: 'operational', new_status: 'major_outage' } }, site)).toMatchObject({
      title: 'API: Major outage',
      status: 'Was operational',
      tone: 'danger',
    });
    const maintenance = { ...incident, name: 'DB upgrade', scheduled_for: '2026-12-08T01:00:00Z', scheduled_until: '2026-12-08T02:00:00Z' };
    expect(publicChatMessage('maintenance.scheduled', { page, incident: maintenance }, site)).toMatchObject({ status: 'Scheduled maintenance', tone: 'maintenance', links: [{ label: 'View maintenance' }] });
    expect(publicChatMessage('postmortem.published', { page, incident: { ...incident, postmortem_body: 'What happened' } }, site)).toMatchObject({ title: 'Postmortem: Checkout errors', summary: 'What happened' });
    expect(publicChatMessage('mail.direct', {}, site)).toBeNull();
  });
});
