import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, Uuid } from '../../http/schema-helpers.js';

/** Checked strictly by `checkEmailAddress`; the schema only bounds the size. */
const EmailInput = Type.String({ minLength: 1, maxLength: 320 });
const ComponentIds = Type.Array(Uuid, { maxItems: 500 });

/** JSON sends an array; an HTML form sends one value per ticked box (a string when just one). */
export const SubscribeBody = Type.Object(
  {
    email: EmailInput,
    componentIds: Type.Optional(Type.Union([ComponentIds, Uuid])),
    /** The language of the page the form was on: the subscriber's mails come in it. Unknown: the page's default. */
    lang: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);
export const SubscribeAccepted = Type.Object({ message: Type.String() });

export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const Subscriber = Type.Object({
  id: Uuid,
  email: Type.String(),
  componentIds: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed')]),
  confirmedAt: Nullable(IsoDate),
  createdAt: IsoDate,
});
export type SubscriberView = Static<typeof Subscriber>;

export const ListSubscribersQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Addresses containing this text, in any letter case. */
    search: Type.Optional(Type.String({ maxLength: 254 })),
  },
  { additionalProperties: false },
);

export const MAX_IMPORT = 10_000;

export const ImportBody = Type.Object(
  {
    subscribers: Type.Array(
      Type.Object({ email: Type.String({ maxLength: 1000 }), componentIds: Type.Optional(ComponentIds) }, { additionalProperties: false }),
      { maxItems: MAX_IMPORT },
    ),
    /** true: the addresses were confirmed on the previous page; false: each new one gets a confirmation mail. */
    confirmed: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ImportInput = Static<typeof ImportBody>;

export const ImportResultSchema = Type.Object({
  imported: Type.Integer(),
  skipped: Type.Integer(),
  invalid: Type.Array(Type.Object({ index: Type.Integer(), email: Type.String(), reason: Type.String() })),
});
export type ImportResult = Static<typeof ImportResultSchema>;

export const Webhook = Type.Object({
  id: Uuid,
  url: Type.String(),
  description: Nullable(Type.String()),
  /** Empty: every component. */
  componentIds: Type.Array(Type.String()),
  createdAt: IsoDate,
});
export type WebhookView = Static<typeof Webhook>;

/** A webhook as listed: how its deliveries stand, and why the latest failed one failed. */
export const ListedWebhook = Type.Object({
  ...Webhook.properties,
  deliveries: Type.Object({ pending: Type.Integer(), sent: Type.Integer(), failed: Type.Integer(), dead: Type.Integer() }),
  lastError: Nullable(Type.String()),
});
export type ListedWebhookView = Static<typeof ListedWebhook>;

/** Only the creation answer carries the secret: it is shown once. */
export const CreatedWebhook = Type.Object({ ...Webhook.properties, secret: Type.String() });

export const CreateWebhook = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    /** Omitted: a random one is made. */
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    /** As for email subscribers: only events touching these components. Omitted or empty: every event. */
    componentIds: Type.Optional(ComponentIds),
  },
  { additionalProperties: false },
);
export type CreateWebhookInput = Static<typeof CreateWebhook>;
