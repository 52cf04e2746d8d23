export { templateRoutes } from './templates.routes.js';
export { openFromTemplate } from './templates.service.js';
