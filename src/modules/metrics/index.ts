export { type DeliveryCounts, metricsRoutes, type RenderCacheNumbers } from './metrics.routes.js';
