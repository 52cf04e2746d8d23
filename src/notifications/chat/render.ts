import type { ChatPlatform } from '../../domain/notification-vocabulary.js';
import { renderDiscord } from './discord.js';
import { renderGoogleChat } from './google-chat.js';
import { renderMattermost } from './mattermost.js';
import type { ChatMessage } from './message.js';
import { renderSlack } from './slack.js';
import { renderTeams } from './teams.js';

const RENDERERS: Record<ChatPlatform, (message: ChatMessage) => Record<string, unknown>> = {
  slack: renderSlack,
  teams: renderTeams,
  discord: renderDiscord,
  mattermost: renderMattermost,
  google_chat: (message) => renderGoogleChat(message),
};

/** The JSON body a platform's incoming webhook takes for `message`. Pure. */
export function renderChat(platform: ChatPlatform, message: ChatMessage): Record<string, unknown> {
  return RENDERERS[platform](message);
}
