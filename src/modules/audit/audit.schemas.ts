import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, Uuid } from '../../http/schema-helpers.js';

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

export const AuditQuery = Type.Object(
  {
    /** A user's id or email address. */
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: "The acting user's id or email" })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Exact action, like incident.create' })),
    objectType: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'What was changed, like incident or user' })),
    objectId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    since: Type.Optional(IsoDate),
    until: Type.Optional(IsoDate),
    /** Opaque: the `nextCursor` of the previous page. */
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT })),
  },
  { additionalProperties: false },
);
export type AuditFilters = Static<typeof AuditQuery>;

export const AuditRecord = Type.Object({
  /** The row's sequence number, as a string. */
  id: Type.String(),
  at: IsoDate,
  /** Null once the user is deleted, or for work nobody asked for (start-up, schedulers). */
  actor: Nullable(Type.Object({ id: Uuid, email: Type.String(), name: Type.String() })),
  /** The API token the actor acted through; null for a signed-in session. */
  tokenId: Nullable(Uuid),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type AuditRecordView = Static<typeof AuditRecord>;

export const AuditPage = Type.Object({
  items: Type.Array(AuditRecord),
  /** Null on the last page. */
  nextCursor: Nullable(Type.String()),
});
export type AuditPageView = Static<typeof AuditPage>;
