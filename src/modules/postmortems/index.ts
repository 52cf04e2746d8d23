export { postmortemBody } from './postmortem-content.js';
export { findPublishedPostmortem, type PostmortemRow } from './postmortems.repo.js';
export { postmortemRoutes, type PostmortemRoutesOptions } from './postmortems.routes.js';
export { getPostmortem, outboxPostmortemNotifier, publishPostmortem, putPostmortem, type PostmortemNotifier } from './postmortems.service.js';
export { PutPostmortem, type PostmortemView, type PutPostmortemInput } from './postmortems.schemas.js';
