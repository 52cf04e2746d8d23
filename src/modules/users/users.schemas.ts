import { Type, type Static } from 'typebox';
import { ROLES } from '../../domain/vocabulary.js';
import { IsoDate, StringEnum, Uuid } from '../../http/schema-helpers.js';

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 12, maxLength: 200 });
export const RoleSchema = StringEnum(ROLES);

/** What leaves the server about a user: never the hash, never the token version. */
export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  createdAt: IsoDate,
});
export type UserView = Static<typeof User>;

export const CreateUser = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Password,
    role: RoleSchema,
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUser>;

export const UpdateUser = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    password: Type.Optional(Password),
    role: Type.Optional(RoleSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserInput = Static<typeof UpdateUser>;


export const LoginResult = Type.Object({
  token: Type.String(),
  expiresAt: IsoDate,
  user: User,
});
