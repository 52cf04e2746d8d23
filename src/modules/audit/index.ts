export { recordAudit, type AuditEntry } from './audit.repo.js';
export { auditRoutes } from './audit.routes.js';
export { AuditQuery, type AuditFilters, type AuditRecordView } from './audit.schemas.js';
export { auditActions, listAudit } from './audit.service.js';
