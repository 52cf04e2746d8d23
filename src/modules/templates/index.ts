export { templateRoutes } from './templates.routes.js';
export { CreateIncidentFromTemplate } from './templates.schemas.js';
export { openFromTemplate } from './templates.service.js';
