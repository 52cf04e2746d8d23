export { createMaintenanceScheduler, type MaintenanceScheduler } from './maintenance-scheduler.js';
export { componentIdsOf, listUpdates as listMaintenanceUpdates, type MaintenanceRow, type MaintenanceUpdateRow } from './maintenance.repo.js';
export { maintenanceRoutes } from './maintenance.routes.js';
export { loadMaintenancePage, loadMaintenanceSection } from './public.js';
