import type { Site } from '../../core/site.js';
import type { Db } from '../../db/client.js';
import { effectiveSettings, type EffectiveSettings, type SettingsDefaults } from './effective.js';
import { readImageRefs, readSettings } from './settings.repo.js';

/**
 * The settings in force in this process, held in memory: every render reads them, so none waits
 * on the database for them. Read again after this process's own save and whenever another
 * process announces a public change (the same announcement that drops the rendered pages), so a
 * change applies on every instance without a restart.
 */
export class SettingsStore {
  #current: EffectiveSettings;
  /** Reads may finish out of order: only the latest started is applied. */
  #started = 0;
  #applied = 0;

  constructor(
    private readonly db: Db,
    readonly defaults: SettingsDefaults,
  ) {
    this.#current = effectiveSettings(defaults, null, []);
  }

  get current(): EffectiveSettings {
    return this.#current;
  }

  async reload(): Promise<EffectiveSettings> {
    const ticket = ++this.#started;
    const [row, images] = await Promise.all([readSettings(this.db), readImageRefs(this.db)]);
    if (ticket > this.#applied) {
      this.#applied = ticket;
      this.#current = effectiveSettings(this.defaults, row, images);
    }
    return this.#current;
  }

  /**
   * The page's identity as the settings give it now. Its name and zone are read when used, so
   * whoever holds it (the verbs' context, the delivery worker) sees a change at once.
   */
  site(publicUrl: string): Site {
    const current = () => this.current;
    return {
      get pageName() {
        return current().pageName;
      },
      get timeZone() {
        return current().timeZone;
      },
      get defaultLanguage() {
        return current().defaultLanguage;
      },
      publicUrl,
    };
  }
}
