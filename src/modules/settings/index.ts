import type { FastifyInstance } from 'fastify';
import type { EffectiveSettings } from './effective.js';

export type { EffectiveSettings, Linked, SettingsDefaults } from './effective.js';
export { MAX_IMAGE_BYTES } from './images.js';
export { default as settingsPlugin } from './plugin.js';
export { readImage, type ImageKind } from './settings.repo.js';
export { settingsRoutes } from './settings.routes.js';
export { UpdateSettings, type PageSettingsView, type UpdateSettingsInput } from './settings.schemas.js';
export { getSettings, updateSettings } from './settings.service.js';
export { SettingsStore } from './settings-store.js';

/** The settings in force: stored values over the configuration's defaults, held in memory and kept current on every instance. */
export function currentSettings(app: FastifyInstance): EffectiveSettings {
  return app.pageSettings.current;
}
