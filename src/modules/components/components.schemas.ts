import { Type, type Static } from 'typebox';
import { COMPONENT_STATUSES } from '../../domain/vocabulary.js';
import { IsoDate, Nullable, StringEnum, Uuid } from '../../http/schema-helpers.js';

export const ComponentStatusSchema = StringEnum(COMPONENT_STATUSES);

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });
const Position = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const Component = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  groupId: Nullable(Uuid),
  position: Type.Integer(),
  status: ComponentStatusSchema,
  showcase: Type.Boolean(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type ComponentView = Static<typeof Component>;

export const CreateComponent = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    groupId: Type.Optional(Nullable(Uuid)),
    position: Type.Optional(Position),
    status: Type.Optional(ComponentStatusSchema),
    showcase: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateComponentInput = Static<typeof CreateComponent>;

export const UpdateComponent = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    groupId: Type.Optional(Nullable(Uuid)),
    position: Type.Optional(Position),
    status: Type.Optional(ComponentStatusSchema),
    showcase: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateComponentInput = Static<typeof UpdateComponent>;

export const ComponentGroup = Type.Object({
  id: Uuid,
  name: Type.String(),
  position: Type.Integer(),
  /** The worst status of the group's members. */
  status: ComponentStatusSchema,
  componentIds: Type.Array(Uuid),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type ComponentGroupView = Static<typeof ComponentGroup>;

export const CreateComponentGroup = Type.Object(
  { name: Name, position: Type.Optional(Position) },
  { additionalProperties: false },
);
export type CreateComponentGroupInput = Static<typeof CreateComponentGroup>;

export const UpdateComponentGroup = Type.Object(
  { name: Type.Optional(Name), position: Type.Optional(Position) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateComponentGroupInput = Static<typeof UpdateComponentGroup>;
