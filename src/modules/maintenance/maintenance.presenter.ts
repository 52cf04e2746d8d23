import type { MaintenanceRow, MaintenanceUpdateRow } from './maintenance.repo.js';
import type { MaintenanceView } from './maintenance.schemas.js';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export function toMaintenanceView(row: MaintenanceRow, componentIds: string[], updates: MaintenanceUpdateRow[]): MaintenanceView {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    status: row.status,
    scheduledFor: row.scheduledFor.toISOString(),
    scheduledUntil: row.scheduledUntil.toISOString(),
    autoStart: row.autoStart,
    autoComplete: row.autoComplete,
    componentIds,
    startedAt: iso(row.startedAt),
    verifyingAt: iso(row.verifyingAt),
    completedAt: iso(row.completedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updates: updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      authorId: u.authorId,
      createdAt: u.createdAt.toISOString(),
    })),
  };
}
