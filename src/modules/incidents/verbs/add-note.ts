import { recordAudit } from '../../audit/index.js';
import type { ServiceContext } from '../../context.js';
import * as repo from '../incidents.repo.js';
import { toNoteView } from '../incidents.presenter.js';
import type { IncidentNoteView } from '../incidents.schemas.js';
import { loadForUpdate } from './steps.js';

/**
 * An internal note on the incident's timeline, never public. It answers with the note, not
 * the incident, and so ends with its audit row alone.
 */
export async function addNote(ctx: ServiceContext, id: string, text: string): Promise<IncidentNoteView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    await loadForUpdate(tx, id);
    const note = await repo.insertNote(tx, { incidentId: id, authorId: ctx.actor.id, at: now, text });
    // Notes are part of the admin representation, so they move its version (its ETag) on.
    await repo.updateIncident(tx, id, {}, now);
    await recordAudit(tx, ctx.actor, { action: 'incident.note', targetType: 'incident', targetId: id }, now);
    return toNoteView(note);
  });
}
