export { subscribeRoutes } from './subscribe.routes.js';
export { subscriberAdminRoutes } from './subscribers.routes.js';
export { notificationReach } from './subscribers.repo.js';
