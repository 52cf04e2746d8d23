import type * as schema from './schema/index.js';

/** Rows as the database returns them: one name per table, for every layer that reads them. */
export type UserRow = typeof schema.users.$inferSelect;
export type ApiTokenRow = typeof schema.apiTokens.$inferSelect;
export type ComponentRow = typeof schema.components.$inferSelect;
export type ComponentGroupRow = typeof schema.componentGroups.$inferSelect;
export type IncidentRow = typeof schema.incidents.$inferSelect;
export type IncidentUpdateRow = typeof schema.incidentUpdates.$inferSelect;
export type IncidentNoteRow = typeof schema.incidentNotes.$inferSelect;
export type TemplateRow = typeof schema.incidentTemplates.$inferSelect;
export type AlertGroupRow = typeof schema.alertGroups.$inferSelect;
export type PostmortemRow = typeof schema.postmortems.$inferSelect;
export type ReminderRow = typeof schema.reminders.$inferSelect;
export type MaintenanceRow = typeof schema.maintenances.$inferSelect;
export type MaintenanceUpdateRow = typeof schema.maintenanceUpdates.$inferSelect;
export type SubscriberRow = typeof schema.subscribers.$inferSelect;
export type WebhookSubscriberRow = typeof schema.webhookSubscribers.$inferSelect;
export type SessionRow = typeof schema.sessions.$inferSelect;
export type ComponentSourceRow = typeof schema.componentSources.$inferSelect;
