export { type DeliveryCounts, metricsRoutes } from './metrics.routes.js';
