import { Type, type Static } from 'typebox';
import { COMPONENT_STATUSES } from '../../domain/vocabulary.js';
import { IsoDate, Nullable, StringEnum, Uuid } from '../../http/schema-helpers.js';

export const SetComponentSource = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: "The other page's `/api/v2/summary.json`, or its root (the path is added)",
    }),
    vendorComponentId: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: "One of the other page's component ids; null or absent: its overall status" })),
    ),
    openDraftOnDegrade: Type.Optional(Type.Boolean({ default: false, description: 'Open a draft incident when what is followed degrades' })),
  },
  { additionalProperties: false },
);
export type SetComponentSourceInput = Static<typeof SetComponentSource>;

export const ComponentSource = Type.Object({
  componentId: Uuid,
  url: Type.String(),
  vendorComponentId: Nullable(Type.String()),
  openDraftOnDegrade: Type.Boolean(),
  /** What the other page calls what is followed, as of its last good answer. */
  vendorName: Nullable(Type.String()),
  vendorStatus: Nullable(StringEnum(COMPONENT_STATUSES, { description: "The other page's status at its last good answer, in our vocabulary" })),
  lastPolledAt: Nullable(IsoDate),
  nextPollAt: IsoDate,
  failures: Type.Integer({ minimum: 0, description: 'Failed polls in a row; each doubles the wait, up to 30 minutes' }),
  lastError: Nullable(Type.String()),
  openIncidentId: Nullable(Uuid),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type ComponentSourceView = Static<typeof ComponentSource>;
