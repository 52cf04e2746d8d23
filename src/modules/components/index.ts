export {
  changeComponentStatus,
  findComponent,
  findComponentsForUpdate,
  listComponents,
  listGroups,
  listIncidentStatusChanges,
  type ComponentGroupRow,
  type ComponentRow,
} from './components.repo.js';
export { announceStatusChanges, currentPageStatus, type ChangeCause } from './component-events.js';
export { componentRoutes } from './components.routes.js';
export { ComponentStatusSchema, CreateComponent, CreateComponentGroup, UpdateComponent, UpdateComponentGroup } from './components.schemas.js';
export { createComponent, createGroup, deleteComponent, deleteGroup, mirrorComponentStatus, updateComponent, updateGroup } from './components.service.js';
export { componentsUnderMaintenance } from './status-claims.repo.js';
export { loadKeptUptime, loadMovedUptime, loadRecentChanges, loadUptimeDays, type ComponentUptimeAt, type KeptUptime } from './uptime.repo.js';
