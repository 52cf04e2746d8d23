import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every time is an instant with its zone: naive timestamps are how outages get misreported. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const id = () => uuid('id').primaryKey().defaultRandom();

export const timestamps = {
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
};

/** SQL `IN (...)` list of enum values for a CHECK constraint (values are our own constants). */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
