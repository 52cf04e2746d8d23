import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { incidentTemplates } from '../../db/schema/index.js';
import type { TemplateRow } from '../../db/rows.js';
import { checkMarkdown } from '../stored-markdown.js';
export type { TemplateRow };


/** The new template, or undefined when its name (in any case) is taken. */
export async function insertTemplate(db: DbOrTx, values: typeof incidentTemplates.$inferInsert): Promise<TemplateRow | undefined> {
  checkMarkdown(values.message, 'message');
  const [row] = await db.insert(incidentTemplates).values(values).onConflictDoNothing().returning();
  return row;
}

export function listTemplates(db: DbOrTx): Promise<TemplateRow[]> {
  return db.select().from(incidentTemplates).orderBy(asc(incidentTemplates.name));
}

export async function findTemplate(db: DbOrTx, id: string, { lock = false } = {}): Promise<TemplateRow | undefined> {
  const query = db.select().from(incidentTemplates).where(eq(incidentTemplates.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function updateTemplate(
  db: DbOrTx,
  id: string,
  values: Partial<typeof incidentTemplates.$inferInsert>,
  at: Date,
): Promise<TemplateRow> {
  if (values.message !== undefined) checkMarkdown(values.message, 'message');
  const [row] = await db.update(incidentTemplates).set({ ...values, updatedAt: at }).where(eq(incidentTemplates.id, id)).returning();
  return row!;
}

export async function deleteTemplate(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(incidentTemplates).where(eq(incidentTemplates.id, id)).returning({ id: incidentTemplates.id });
  return rows.length > 0;
}
