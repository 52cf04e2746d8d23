import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, StringEnum, Uuid } from '../../http/schema-helpers.js';

const Text = (maxLength: number) => Type.String({ maxLength });
const List = Type.Array(Type.String({ minLength: 1, maxLength: 2_000 }), { maxItems: 50 });

export const TimelineEntrySchema = Type.Object(
  {
    at: IsoDate,
    text: Type.String({ minLength: 1, maxLength: 5_000 }),
    source: Type.Optional(StringEnum(['update', 'note', 'author'] as const)),
    /** Internal lines are kept for the team and left off the public page. */
    internal: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ActionItemSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 500 }),
    owner: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    dueDate: Type.Optional(Nullable(Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }))),
    done: Type.Optional(Type.Boolean()),
    /** Derived on every read; accepted so a GET can be edited and sent back, and ignored. */
    overdue: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A whole postmortem: PUT replaces what was saved. An omitted timeline means "not written yet". */
export const PutPostmortem = Type.Object(
  {
    summary: Type.String({ minLength: 1, maxLength: 20_000 }),
    timeline: Type.Optional(Type.Array(TimelineEntrySchema, { maxItems: 500 })),
    rootCause: Type.Optional(Text(20_000)),
    whys: Type.Optional(List),
    contributingFactors: Type.Optional(List),
    actionItems: Type.Optional(Type.Array(ActionItemSchema, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type PutPostmortemInput = Static<typeof PutPostmortem>;

const TimelineEntryView = Type.Object({
  at: IsoDate,
  text: Type.String(),
  source: StringEnum(['update', 'note', 'author'] as const),
  internal: Type.Boolean(),
});

export const Postmortem = Type.Object({
  incidentId: Uuid,
  /** False until a PUT saved it: the fields are then a blank template. */
  saved: Type.Boolean(),
  summary: Type.String(),
  timeline: Type.Array(TimelineEntryView),
  /** True when `timeline` is the prefill from updates and notes, not one the author saved. */
  timelinePrefilled: Type.Boolean(),
  rootCause: Type.String(),
  whys: Type.Array(Type.String()),
  contributingFactors: Type.Array(Type.String()),
  actionItems: Type.Array(
    Type.Object({
      title: Type.String(),
      owner: Nullable(Type.String()),
      dueDate: Nullable(Type.String()),
      done: Type.Boolean(),
      /** Not done and its due date has passed in the display time zone (TZ_DISPLAY). */
      overdue: Type.Boolean(),
    }),
  ),
  publishedAt: Nullable(IsoDate),
  /** Moves on with every save; 0 while nothing is saved. Also sent as the `ETag` header. */
  version: Type.Integer({ minimum: 0 }),
  updatedBy: Nullable(Uuid),
  createdAt: Nullable(IsoDate),
  updatedAt: Nullable(IsoDate),
});
export type PostmortemView = Static<typeof Postmortem>;
