export { lockComponents, normalizeStatuses, openIncidentClaims } from './incident-components.js';
export { findIncident, listNotes, listUpdates, type IncidentRow, type IncidentUpdateRow } from './incidents.repo.js';
export { incidentRoutes } from './incidents.routes.js';
export {
  ComponentStatuses,
  CreateIncident,
  AddUpdate,
  Resolve,
  PatchIncident,
  MESSAGE_MAX_LENGTH,
  OpenStatusSchema,
  SeveritySchema,
  type AddUpdateInput,
  type CreateIncidentFromTemplateInput,
  type CreateIncidentInput,
  type ResolveInput,
  type PatchIncidentInput,
  type IncidentDetailView,
} from './incidents.schemas.js';
export { addNote } from './verbs/add-note.js';
export { addUpdate } from './verbs/add-update.js';
export { createIncident } from './verbs/create.js';
export { resolveIncident } from './verbs/resolve.js';
export { acknowledgeIncident, mitigateIncident } from './verbs/stamp.js';
export { publishIncident } from './verbs/publish.js';
export { patchIncident } from './verbs/patch.js';
export { getIncident, listIncidents } from './incidents.read.js';
export { type IncidentView, type IncidentUpdateView, type IncidentNoteView } from './incidents.schemas.js';
export {
  earliestPublicIncidentStart,
  findPublicIncident,
  isPublicIncident,
  isPublishedUpdate,
  listCurrentIncidents,
  listCurrentUpdates,
  listIncidentsStartedBetween,
  listPublishedUpdates,
  listUnresolvedIncidents,
  type ListedUpdate,
} from './public.js';
export { currentPageStatus, incidentWebhookEvent } from './statuspage-event.js';
export { postmortemPublishedAt } from './postmortem-state.repo.js';
