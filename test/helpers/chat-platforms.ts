import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatPlatform } from '../../src/domain/notification-vocabulary.js';

/**
 * What each platform documents as required of an incoming webhook's body, checked as its
 * receiver would: a list of what is wrong (empty: accepted). Written from the platforms' own
 * references (Slack Block Kit, Adaptive Cards in Teams, Discord's Execute Webhook and embed
 * limits, Mattermost's message attachments, Google Chat's Message and cardsV2), not from our
 * renderers.
 */
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function slack(body: Json): string[] {
  const wrong: string[] = [];
  if (!str(body.text)) wrong.push('text: a fallback is required with blocks');
  const blocks = body.blocks;
  if (!Array.isArray(blocks) || blocks.length === 0) return [...wrong, 'blocks: missing'];
  if (blocks.length > 50) wrong.push('blocks: more than 50');
  for (const [i, b] of blocks.entries()) {
    if (!isObj(b) || typeof b.type !== 'string') wrong.push(`blocks[${i}]: no type`);
    else if (b.type === 'header') {
      const t = b.text as Json;
      if (t?.type !== 'plain_text' || !str(t.text) || str(t.text).length > 150) wrong.push(`blocks[${i}]: header needs plain_text ≤ 150`);
    } else if (b.type === 'section') {
      const t = b.text as Json | undefined;
      const fields = b.fields as Json[] | undefined;
      if (!t && !fields) wrong.push(`blocks[${i}]: section needs text or fields`);
      if (t && (str(t.text).length === 0 || str(t.text).length > 3000)) wrong.push(`blocks[${i}]: section text 1–3000`);
      if (fields && (fields.length > 10 || fields.some((f) => str(f.text).length > 2000))) wrong.push(`blocks[${i}]: fields ≤ 10 of ≤ 2000`);
    } else if (b.type === 'actions') {
      const els = b.elements as Json[];
      if (!Array.isArray(els) || els.length === 0 || els.length > 25) wrong.push(`blocks[${i}]: actions 1–25 elements`);
      for (const e of els ?? []) if (e.type === 'button' && (str((e.text as Json)?.text).length > 75 || !str(e.url))) wrong.push(`blocks[${i}]: button text ≤ 75 with url`);
    } else if (b.type === 'context') {
      const els = b.elements as Json[];
      if (!Array.isArray(els) || els.length === 0 || els.length > 10) wrong.push(`blocks[${i}]: context 1–10 elements`);
    } else if (b.type !== 'divider') wrong.push(`blocks[${i}]: unexpected ${String(b.type)}`);
  }
  return wrong;
}

function teams(body: Json): string[] {
  if (body.type !== 'message') return ['type: must be "message"'];
  const attachments = body.attachments as Json[];
  if (!Array.isArray(attachments) || attachments.length !== 1) return ['attachments: one card expected'];
  const [a] = attachments;
  const wrong: string[] = [];
  if (a!.contentType !== 'application/vnd.microsoft.card.adaptive') wrong.push('contentType: not an Adaptive Card');
  const card = a!.content as Json;
  if (!isObj(card) || card.type !== 'AdaptiveCard') return [...wrong, 'content.type: must be AdaptiveCard'];
  if (!/^1\.[0-5]$/.test(str(card.version))) wrong.push('content.version: 1.0–1.5 required');
  if (!Array.isArray(card.body) || card.body.length === 0) wrong.push('content.body: missing');
  for (const action of (card.actions as Json[] | undefined) ?? []) if (action.type !== 'Action.OpenUrl' || !str(action.url)) wrong.push('actions: OpenUrl with url');
  return wrong;
}

function discord(body: Json): string[] {
  const wrong: string[] = [];
  const embeds = body.embeds as Json[] | undefined;
  if (!str(body.content) && (!Array.isArray(embeds) || embeds.length === 0)) return ['content or embeds required'];
  if (str(body.content).length > 2000) wrong.push('content > 2000');
  if ((embeds?.length ?? 0) > 10) wrong.push('embeds > 10');
  let total = 0;
  for (const [i, e] of (embeds ?? []).entries()) {
    const title = str(e.title);
    const description = str(e.description);
    if (title.length > 256) wrong.push(`embeds[${i}].title > 256`);
    if (description.length > 4096) wrong.push(`embeds[${i}].description > 4096`);
    if (e.color !== undefined && (!Number.isInteger(e.color) || (e.color as number) < 0 || (e.color as number) > 0xffffff)) wrong.push(`embeds[${i}].color not an RGB integer`);
    const fields = (e.fields as Json[] | undefined) ?? [];
    if (fields.length > 25) wrong.push(`embeds[${i}].fields > 25`);
    for (const f of fields) {
      if (!str(f.name) || str(f.name).length > 256 || !str(f.value) || str(f.value).length > 1024) wrong.push(`embeds[${i}].fields: name 1–256, value 1–1024`);
      total += str(f.name).length + str(f.value).length;
    }
    total += title.length + description.length + str((e.footer as Json | undefined)?.text).length;
  }
  if (total > 6000) wrong.push('embeds: more than 6000 characters in all');
  return wrong;
}

function mattermost(body: Json): string[] {
  const attachments = body.attachments as Json[] | undefined;
  if (!str(body.text) && (!Array.isArray(attachments) || attachments.length === 0)) return ['text or attachments required'];
  const wrong: string[] = [];
  for (const [i, a] of (attachments ?? []).entries()) {
    if (!str(a.fallback)) wrong.push(`attachments[${i}].fallback: required`);
    if (a.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(str(a.color))) wrong.push(`attachments[${i}].color: hex`);
  }
  // A post's message holds 16,383 characters; attachments travel in its props (800,000 at most).
  if (str(body.text).length > 16383) wrong.push('text > 16383');
  if (JSON.stringify(attachments ?? []).length > 800_000) wrong.push('attachments: props too large');
  return wrong;
}

function googleChat(body: Json): string[] {
  const cards = body.cardsV2 as Json[] | undefined;
  if (!str(body.text) && (!Array.isArray(cards) || cards.length === 0)) return ['text or cardsV2 required'];
  const wrong: string[] = [];
  if (str(body.text).length > 4096) wrong.push('text > 4096');
  for (const [i, c] of (cards ?? []).entries()) {
    if (!str(c.cardId)) wrong.push(`cardsV2[${i}].cardId: required`);
    const card = c.card as Json;
    if (!isObj(card)) {
      wrong.push(`cardsV2[${i}].card: required`);
      continue;
    }
    const sections = card.sections as Json[];
    if (!Array.isArray(sections) || sections.length === 0) wrong.push(`cardsV2[${i}].card.sections: required`);
    let widgets = 0;
    for (const s of sections ?? []) {
      const w = s.widgets as Json[];
      if (!Array.isArray(w) || w.length === 0) wrong.push(`cardsV2[${i}]: a section without widgets`);
      widgets += w?.length ?? 0;
    }
    if (widgets > 100) wrong.push(`cardsV2[${i}]: more than 100 widgets`);
    if (card.header && !str((card.header as Json).title)) wrong.push(`cardsV2[${i}].card.header.title: required`);
  }
  return wrong;
}

export const PLATFORM_CHECKS: Record<ChatPlatform, (body: Json) => string[]> = { slack, teams, discord, mattermost, google_chat: googleChat };

export interface ChatPost {
  platform: ChatPlatform;
  path: string;
  body: Json;
  problems: string[];
}

/**
 * A local receiver for every platform: `POST /<platform>/<anything>` is checked against that
 * platform's required fields and answered 400 (with the problems) or the platform's success.
 * `/…/busy` answers 429 with a Retry-After of `retryAfter` seconds, once per path.
 */
export async function startChatReceiver(options: { retryAfter?: string } = {}) {
  const posts: ChatPost[] = [];
  const refused = new Set<string>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const platform = path.split('/')[1] as ChatPlatform;
      const check = PLATFORM_CHECKS[platform];
      if (!check || req.headers['content-type'] !== 'application/json') return void res.writeHead(404).end();
      if (path.endsWith('/busy') && !refused.has(path)) {
        refused.add(path);
        return void res.writeHead(429, { 'retry-after': options.retryAfter ?? '120', 'content-type': 'application/json' }).end('{"message":"You are being rate limited."}');
      }
      const body = JSON.parse(raw) as Json;
      const problems = check(body);
      posts.push({ platform, path, body, problems });
      if (problems.length > 0) return void res.writeHead(400, { 'content-type': 'text/plain' }).end(problems.join('; '));
      // Slack answers `ok`, Discord 204, the others 200 with JSON.
      if (platform === 'discord') return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { posts, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
