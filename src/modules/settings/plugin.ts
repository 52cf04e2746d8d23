import fp from 'fastify-plugin';
import type { SettingsStore } from './settings-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The page's settings in force in this process (see `effectiveSettings`). */
    pageSettings: SettingsStore;
  }
}

/** Decorates the app with `store`, read once the app is ready (a database down at start leaves the defaults until it is back). */
export default fp<{ store: SettingsStore }>(
  async (app, { store }) => {
    app.decorate('pageSettings', store);
    app.addHook('onReady', async () => {
      await store.reload().catch((err: unknown) => app.log.warn({ err }, 'page settings could not be read; the configured defaults apply until the next change'));
    });
  },
  { name: 'page-settings', dependencies: ['database'] },
);
