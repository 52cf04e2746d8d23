export * from './users.js';
export * from './components.js';
export * from './incidents.js';
export * from './audit.js';
export * from './idempotency.js';
export * from './api-tokens.js';
export * from './alert-groups.js';
export * from './incident-templates.js';
