export { createMaintenanceScheduler, type MaintenanceScheduler } from './maintenance-scheduler.js';
export { componentIdsOf, listUpdates as listMaintenanceUpdates, type MaintenanceRow, type MaintenanceUpdateRow } from './maintenance.repo.js';
export { maintenanceRoutes } from './maintenance.routes.js';
export { findPublicMaintenance, listOpenMaintenances, type PublicMaintenance } from './public.js';
