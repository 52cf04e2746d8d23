export { templateRoutes } from './templates.routes.js';
export { CreateTemplate, type CreateTemplateInput, type IncidentTemplateView } from './templates.schemas.js';
export { createTemplate, deleteTemplate, getTemplate, listTemplates, openFromTemplate, updateTemplate } from './templates.service.js';
