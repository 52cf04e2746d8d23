import { getTableColumns, sql, type Column, type SQL, type Table } from 'drizzle-orm';

/** A row as `jsonRows` sends it: the table's columns' values, in the order the table declares them. */
type RowTuple = unknown[];

/**
 * All of `table`'s rows, in `order`, as one JSON array of arrays: a part of a bigger statement
 * (a subquery's value), so that several tables come back in one round trip and one snapshot.
 * `rowsFromJson` makes them the rows drizzle would have returned.
 */
export function jsonRows<T extends Table>(table: T, order: SQL): SQL<RowTuple[]> {
  const columns = Object.values(getTableColumns(table));
  return sql<RowTuple[]>`(select coalesce(json_agg(json_build_array(${sql.join(columns, sql`, `)}) order by ${order}), '[]') from ${table})`;
}

/**
 * The rows `jsonRows` sent, each value mapped as drizzle maps the column's (a timestamp's ISO
 * text to a Date, and so on): the same rows a `select()` of the table gives, which a test holds.
 */
export function rowsFromJson<T extends Table>(table: T, tuples: RowTuple[]): Array<T['$inferSelect']> {
  const { keys, columns } = columnsOf(table);
  return tuples.map((tuple) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i += 1) {
      const value = tuple[i];
      row[keys[i]!] = value === null ? null : columns[i]!.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  });
}

/** Each table's row keys and columns, in the order `jsonRows` sends them: looked up once, as every render maps its rows. */
const columnLists = new WeakMap<Table, { keys: string[]; columns: Column[] }>();
function columnsOf(table: Table): { keys: string[]; columns: Column[] } {
  let list = columnLists.get(table);
  if (!list) {
    const entries = Object.entries(getTableColumns(table));
    list = { keys: entries.map(([key]) => key), columns: entries.map(([, column]) => column) };
    columnLists.set(table, list);
  }
  return list;
}
