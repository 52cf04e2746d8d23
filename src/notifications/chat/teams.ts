import { clip, type ChatField, type ChatMessage, type ChatTone } from './message.js';

/**
 * Microsoft Teams incoming webhooks (and the Workflows app's "post to a channel when a webhook
 * request is received"): a `message` whose `attachments` hold one Adaptive Card
 * (`application/vnd.microsoft.card.adaptive`). Version 1.4: what Teams renders everywhere.
 * Teams caps a card message at about 28 KB, so long text is cut well before.
 */
export const TEAMS_CARD_VERSION = '1.4';
export const TEAMS_LIMITS = { text: 2000, facts: 20, actions: 5, sections: 15 } as const;

/**
 * What Teams interprets in a TextBlock and a Fact's title and value is a Markdown subset: bold
 * and italics (`**`, `*`, `_`), lists (`- `, `1. ` at a line's start) and links `[text](url)`;
 * headers, tables, images, preformatted text and blockquotes are not supported, and HTML is not
 * read (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 * So only those are neutralised, each the least visible way:
 * - a link needs `]` right before `(` (or `[`, `:` for the reference forms): a zero-width space
 *   after every `]` breaks it without a backslash; one after every `<` does the same for
 *   CommonMark's autolinks and inline HTML and for Teams' `<at>` mention markup;
 * - emphasis and list markers have no such gap, and take a CommonMark backslash escape. A
 *   backslash was shown literally by Teams' mobile renderers for years
 *   (https://github.com/microsoft/AdaptiveCards/issues/5590, fixed in
 *   https://github.com/microsoft/Teams-AdaptiveCards-Mobile/pull/58), so a backslash goes only
 *   where the text would otherwise format: before `*`, before a `_` that can open or close
 *   emphasis (not one inside a word, `db_primary_1`), before a list marker, and doubled where a
 *   typed backslash would otherwise escape the punctuation after it. `#`, `>`, `~`, `` ` `` and
 *   parentheses are left alone: Teams shows them as they are.
 */
export function escapeTeams(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
    .replace(/\*/g, '\\*')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/^(\s*)([-+])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)([.)])(?=\s|$)/gm, '$1$2\\$3')
    .replace(/[\]<]/g, (c) => `${c}\u200b`);
}

const COLOUR: Record<ChatTone, string> = { neutral: 'Default', good: 'Good', warning: 'Warning', danger: 'Attention', maintenance: 'Accent' };

const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: clip(escapeTeams(text), TEAMS_LIMITS.text), wrap: true, ...extra });

/** Teams reads Markdown in facts too: escaped like a TextBlock. */
const factSet = (fields: ChatField[]) => ({
  type: 'FactSet',
  facts: fields.slice(0, TEAMS_LIMITS.facts).map((f) => ({ title: clip(escapeTeams(f.label), 200), value: clip(escapeTeams(f.value), 500) })),
});

export function renderTeams(message: ChatMessage): Record<string, unknown> {
  const body: object[] = [textBlock(message.title, { size: 'Medium', weight: 'Bolder', style: 'heading' })];
  if (message.status) body.push(textBlock(message.status, { color: COLOUR[message.tone], weight: 'Bolder', spacing: 'None' }));
  if (message.summary) body.push(textBlock(message.summary));
  if (message.fields.length > 0) body.push(factSet(message.fields));
  for (const section of message.sections.slice(0, TEAMS_LIMITS.sections)) {
    const items: object[] = [textBlock(section.title, { weight: 'Bolder' })];
    if (section.text) items.push(textBlock(section.text));
    if (section.fields.length > 0) items.push(factSet(section.fields));
    if (section.link) items.push({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: clip(section.link.label, 100), url: section.link.url }] });
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  body.push(textBlock(message.footer, { isSubtle: true, size: 'Small' }));
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: TEAMS_CARD_VERSION,
    body,
    actions: message.links.slice(0, TEAMS_LIMITS.actions).map((l) => ({ type: 'Action.OpenUrl', title: clip(l.label, 100), url: l.url })),
    msteams: { width: 'Full' },
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}
