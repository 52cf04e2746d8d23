export { lockComponents, normalizeStatuses, openIncidentClaims } from './incident-components.js';
export { findIncident, listNotes, listUpdates, type IncidentRow, type IncidentUpdateRow } from './incidents.repo.js';
export { incidentRoutes } from './incidents.routes.js';
export {
  ComponentStatuses,
  MESSAGE_MAX_LENGTH,
  OpenStatusSchema,
  SeveritySchema,
  type CreateIncidentFromTemplateInput,
  type IncidentDetailView,
} from './incidents.schemas.js';
export { acknowledgeIncident, addNote, addUpdate, createIncident, resolveIncident } from './incidents.service.js';
export {
  earliestPublicIncidentStart,
  findPublicIncident,
  isPublicIncident,
  isPublishedUpdate,
  listCurrentIncidents,
  listIncidentsStartedBetween,
  listPublishedUpdates,
  listUnresolvedIncidents,
} from './public.js';
