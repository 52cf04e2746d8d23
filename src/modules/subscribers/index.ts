export { subscribeRoutes } from './subscribe.routes.js';
export { subscriberAdminRoutes } from './subscribers.routes.js';
export { notificationReach } from './subscribers.repo.js';
export { deleteSubscriber, exportCsv, getSubscriber, importSubscribers, listSubscribers } from './subscribers.service.js';
export { createWebhook, deleteWebhook, listWebhooks } from './webhooks.service.js';
export { checkComponents } from './subscribe.service.js';
export { CreateWebhook, ImportBody, MAX_IMPORT, type ImportInput, type ImportResult, type ListedWebhookView } from './subscribers.schemas.js';
