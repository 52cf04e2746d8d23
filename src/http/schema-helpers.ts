import { Type, type TSchema } from 'typebox';

/** A string restricted to our own `as const` enumerations, typed as their union. */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * The canonical uuid form only: ajv's `uuid` format also admits `urn:uuid:…`, which PostgreSQL
 * refuses, turning a client's typo into a 500.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const Uuid = Type.String({ pattern: UUID_PATTERN, examples: ['3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60'] });
/** RFC 3339 with seconds and an explicit zone (`Z` or `±hh:mm`): no naive times. */
export const IsoDate = Type.String({
  format: 'date-time',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|z|[+-]\\d{2}:\\d{2})$',
});
/**
 * An IsoDate that is stored: years 1000–9999 only. The database hands timestamps back as
 * "0001-01-01 00:00:00+00", which Date reads as 2001, so an earlier year would be stored as one
 * thing and served as another. (Not for Alertmanager's input: its zero time is year 1.)
 */
export const StoredIsoDate = Type.String({
  format: 'date-time',
  pattern: '^[1-9]\\d{3}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|z|[+-]\\d{2}:\\d{2})$',
});
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ErrorResponse = Type.Object({ error: Type.String(), message: Type.String() });

/** The error responses every admin route can give, for the OpenAPI document. */
export const adminErrors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
};
