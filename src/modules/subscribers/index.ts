export { subscribeRoutes } from './subscribe.routes.js';
export { subscriberAdminRoutes } from './subscribers.routes.js';
