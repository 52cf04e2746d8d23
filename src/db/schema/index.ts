export * from './users.js';
export * from './components.js';
export * from './incidents.js';
export * from './audit.js';
export * from './idempotency.js';
export * from './notifications.js';
