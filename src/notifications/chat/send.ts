import type { Site } from '../../core/site.js';
import type { ClaimedDelivery } from '../deliveries.repo.js';
import { postJson, type PostOptions } from '../webhook-sender.js';
import type { ChatMessage } from './message.js';
import { publicChatMessage } from './public-events.js';
import { renderChat } from './render.js';

/**
 * Posts one chat delivery to its channel's incoming webhook, in its platform's format; returns
 * the platform (how it was sent), or null when there is nothing to send (a public event with no
 * chat form, a channel deleted since). A staff message carries its chat message; a public
 * event's is read from its webhook payload, so a chat subscriber hears what a webhook one does.
 */
export async function postChat(delivery: Pick<ClaimedDelivery, 'chat' | 'notification'>, site: Site, options: PostOptions): Promise<string | null> {
  const { chat, notification } = delivery;
  const message = (notification.chatMessage as ChatMessage | null) ?? publicChatMessage(notification.kind, notification.webhookPayload, site);
  if (!chat || !message) return null;
  await postJson(chat.url, JSON.stringify(renderChat(chat.platform, message)), { 'user-agent': 'Heliograph-Chat/1' }, options, chat.platform);
  return chat.platform;
}
