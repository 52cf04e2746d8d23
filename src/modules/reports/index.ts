export { reportRoutes } from './reports.routes.js';
export { getResponseReport } from './reports.service.js';
export { type ResponseReportView } from './reports.schemas.js';
