import type { SQLWrapper } from 'drizzle-orm';

/**
 * The ids of the rows to read: a list, or a query that selects them. With a query the rows are
 * read in one statement with it, and a reader need not wait for the ids before asking.
 */
export type IdsOrQuery = string[] | SQLWrapper;

/** Whether `ids` is known to select nothing, without asking the database. */
export const selectsNothing = (ids: IdsOrQuery): boolean => Array.isArray(ids) && ids.length === 0;
