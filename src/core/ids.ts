/**
 * The canonical uuid form only: ajv's `uuid` format also admits `urn:uuid:…`, which PostgreSQL
 * refuses, turning a client's typo into a 500.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const UUID = new RegExp(UUID_PATTERN);

/** Whether `value` is a uuid the database accepts (any letter case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
