export { createMaintenanceScheduler, type MaintenanceScheduler } from './maintenance-scheduler.js';
export { findPublicMaintenance, listOpenMaintenanceRows, named as namedMaintenances, type OpenMaintenance, type PublicMaintenance } from './maintenance.read.js';
export { componentIdsOf, listUpdates as listMaintenanceUpdates, type MaintenanceRow, type MaintenanceUpdateRow } from './maintenance.repo.js';
export { maintenanceRoutes } from './maintenance.routes.js';
export { getMaintenance, listMaintenances } from './maintenance.read.js';
export { CreateMaintenance, type CreateMaintenanceInput, type MaintenanceView } from './maintenance.schemas.js';
export { createMaintenance, deleteMaintenance, patchMaintenance } from './maintenance.service.js';
