import { Type, type Static } from 'typebox';
import { TOKEN_SCOPES } from '../../domain/token-scopes.js';
import { IsoDate, Nullable, StringEnum, Uuid } from '../../http/schema-helpers.js';

export const TokenScopeSchema = StringEnum(TOKEN_SCOPES);

export const CreateToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(TokenScopeSchema, { minItems: 1, maxItems: TOKEN_SCOPES.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateTokenInput = Static<typeof CreateToken>;

/** A token as listed: never its secret, never its hash. */
export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  scopes: Type.Array(TokenScopeSchema),
  /** The token's first characters, to tell it apart (`hg_AbCd1234`). */
  prefix: Type.String(),
  createdBy: Nullable(Uuid),
  createdAt: IsoDate,
  /** Updated at most once a minute. */
  lastUsedAt: Nullable(IsoDate),
  revokedAt: Nullable(IsoDate),
});
export type ApiTokenView = Static<typeof ApiToken>;

/** The answer to creation, the only one that carries the token itself. */
export const CreatedToken = Type.Object({ ...ApiToken.properties, token: Type.String() });
export type CreatedTokenView = Static<typeof CreatedToken>;
