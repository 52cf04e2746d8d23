export { recordAudit, type AuditEntry } from './audit.repo.js';
