export { postmortemBody } from './postmortem-content.js';
export { findPublishedPostmortem, type PostmortemRow } from './postmortems.repo.js';
export { postmortemRoutes, type PostmortemRoutesOptions } from './postmortems.routes.js';
export { outboxPostmortemNotifier, type PostmortemNotifier } from './postmortems.service.js';
