export { templateRoutes } from './templates.routes.js';
export { openFromTemplate } from './templates.service.js';
export { listTemplates } from './templates.service.js';
