import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { pageImages, pageSettings } from '../../db/schema/index.js';

export type SettingsRow = typeof pageSettings.$inferSelect;
export type SettingsValues = Omit<SettingsRow, 'id' | 'updatedAt'>;
export type ImageKind = 'logo' | 'favicon';
/** An image without its bytes: what a page needs to link it. */
export interface ImageRef {
  kind: ImageKind;
  contentType: 'image/png' | 'image/svg+xml';
  hash: string;
}

export async function readSettings(db: DbOrTx): Promise<SettingsRow | null> {
  const [row] = await db.select().from(pageSettings).where(eq(pageSettings.id, 1));
  return row ?? null;
}

export async function readImageRefs(db: DbOrTx): Promise<ImageRef[]> {
  const rows = await db.select({ kind: pageImages.kind, contentType: pageImages.contentType, hash: pageImages.hash }).from(pageImages);
  return rows as ImageRef[];
}

export async function readImage(db: DbOrTx, kind: ImageKind): Promise<(ImageRef & { data: string }) | null> {
  const [row] = await db.select().from(pageImages).where(eq(pageImages.kind, kind));
  return row ? { kind, contentType: row.contentType as ImageRef['contentType'], hash: row.hash, data: row.data } : null;
}

/** Locks the row (made if missing) for the rest of the transaction: two saves apply one after the other. */
export async function lockSettings(tx: DbOrTx, now: Date): Promise<SettingsRow> {
  await tx.insert(pageSettings).values({ id: 1, updatedAt: now }).onConflictDoNothing();
  const [row] = await tx.select().from(pageSettings).where(eq(pageSettings.id, 1)).for('update');
  return row!;
}

export async function writeSettings(tx: DbOrTx, values: Partial<SettingsValues>, now: Date): Promise<void> {
  await tx.update(pageSettings).set({ ...values, updatedAt: now }).where(eq(pageSettings.id, 1));
}

export async function putImage(tx: DbOrTx, image: ImageRef & { data: string }, now: Date): Promise<void> {
  const values = { contentType: image.contentType, hash: image.hash, data: image.data, updatedAt: now };
  await tx.insert(pageImages).values({ kind: image.kind, ...values }).onConflictDoUpdate({ target: pageImages.kind, set: values });
}

export async function deleteImage(tx: DbOrTx, kind: ImageKind): Promise<void> {
  await tx.delete(pageImages).where(eq(pageImages.kind, kind));
}
