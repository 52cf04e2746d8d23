export { chatChannelRoutes } from './chat-channels.routes.js';
export { createChatChannel, deleteChatChannel, listChatChannels, maskUrl, testChatChannel, updateChatChannel } from './chat-channels.service.js';
export { CreateChatChannel, UpdateChatChannel, type ListedChatChannelView } from './chat-channels.schemas.js';
export { StaffDigest } from './staff-digest.js';
