/**
 * Pure builders of what the public pages show about maintenance: what is under way, what is
 * coming (the next UPCOMING_DAYS), and one maintenance's page. Times read in the display zone.
 */
import { isUnderWay, isUpcoming } from '../../domain/maintenance-window.js';
import type { MaintenanceStatus } from '../../domain/vocabulary.js';
import { storedMarkdownHtml } from '../../text/markdown.js';
import type { DisplayTime } from '../../text/time.js';
import { findPublicMaintenance, type PublicMaintenance } from '../../modules/maintenance/index.js';
import type { DbOrTx } from '../../db/client.js';
import type { PageContext } from './route-kit.js';

export interface MaintenanceUpdateModel {
  id: string;
  status: MaintenanceStatus;
  statusLabel: string;
  bodyHtml: string;
  /** Shown as is; a script in public/ adds "(5 minutes ago)" for readers with JavaScript. */
  at: DisplayTime;
}

export interface MaintenanceModel {
  id: string;
  url: string;
  title: string;
  status: MaintenanceStatus;
  statusLabel: string;
  bodyHtml: string;
  /** "Mar 8, 2026, 01:00 PST – 04:00 PDT" */
  window: string;
  /** For upcoming ones, a script in public/ shows it as "in 3 hours" to readers with JavaScript. */
  scheduledFor: DisplayTime;
  scheduledUntil: DisplayTime;
  /** The window's real length, daylight-saving changes included. */
  duration: string;
  components: string[];
  /** Newest first. */
  updates: MaintenanceUpdateModel[];
}

export interface MaintenanceSectionModel {
  active: MaintenanceModel[];
  upcoming: MaintenanceModel[];
}

export interface MaintenancePageModel {
  pageName: string;
  maintenance: MaintenanceModel;
  generatedAt: DisplayTime;
}

export type MaintenanceInput = PublicMaintenance;

export function maintenanceModel(input: MaintenanceInput, ctx: PageContext): MaintenanceModel {
  const m = input.maintenance;
  const { i18n } = ctx;
  return {
    id: m.id,
    url: `/maintenances/${m.id}`,
    title: m.title,
    status: m.status,
    statusLabel: i18n.t(`maintenanceStatus.${m.status}`),
    bodyHtml: storedMarkdownHtml({ id: m.id, source: m.body, html: m.bodyHtml }),
    window: i18n.window(m, ctx.timeZone),
    scheduledFor: i18n.time(m.scheduledFor, ctx.timeZone),
    scheduledUntil: i18n.time(m.scheduledUntil, ctx.timeZone),
    duration: i18n.duration(m.scheduledUntil.getTime() - m.scheduledFor.getTime()),
    components: input.componentNames,
    updates: input.updates.map((u) => ({
      id: u.id,
      status: u.status,
      statusLabel: i18n.t(`maintenanceStatus.${u.status}`),
      bodyHtml: storedMarkdownHtml({ id: u.id, source: u.body, html: u.bodyHtml }),
      at: i18n.time(u.createdAt, ctx.timeZone),
    })),
  };
}

/** Under way first (earliest end first), then upcoming (soonest first). */
export function buildMaintenanceSection(inputs: MaintenanceInput[], ctx: PageContext): MaintenanceSectionModel {
  const byStart = [...inputs].sort((a, b) => a.maintenance.scheduledFor.getTime() - b.maintenance.scheduledFor.getTime());
  return {
    active: byStart
      .filter((i) => isUnderWay(i.maintenance.status))
      .sort((a, b) => a.maintenance.scheduledUntil.getTime() - b.maintenance.scheduledUntil.getTime())
      .map((i) => maintenanceModel(i, ctx)),
    upcoming: byStart.filter((i) => isUpcoming(i.maintenance, ctx.now)).map((i) => maintenanceModel(i, ctx)),
  };
}

/** Null when there is no such maintenance. */
export async function loadMaintenancePage(db: DbOrTx, id: string, ctx: PageContext): Promise<MaintenancePageModel | null> {
  const input = await findPublicMaintenance(db, id);
  if (!input) return null;
  return { pageName: ctx.pageName, maintenance: maintenanceModel(input, ctx), generatedAt: ctx.i18n.time(ctx.now, ctx.timeZone) };
}
