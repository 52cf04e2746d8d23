import { Type, type Static } from 'typebox';
import { CHAT_AUDIENCES, CHAT_PLATFORMS, DIGEST_MINUTES, STAFF_EVENTS } from '../../domain/notification-vocabulary.js';
import { IsoDate, Nullable, StringEnum, Uuid } from '../../http/schema-helpers.js';

const Platform = StringEnum(CHAT_PLATFORMS, { description: 'Whose incoming webhook the URL is' });
const Audience = StringEnum(CHAT_AUDIENCES, { description: '`subscriber`: public events; `staff`: the staff events chosen' });
const StaffEvents = Type.Array(StringEnum(STAFF_EVENTS), { maxItems: STAFF_EVENTS.length, uniqueItems: true });
const ComponentIds = Type.Array(Uuid, { maxItems: 500 });
const DigestMinutes = Type.Integer({ minimum: DIGEST_MINUTES.min, maximum: DIGEST_MINUTES.max, description: 'Minutes between digests of open incidents' });
const Name = Type.String({ minLength: 1, maxLength: 100 });

export const ChatChannel = Type.Object({
  id: Uuid,
  platform: Platform,
  name: Type.String(),
  /** The URL is the channel's only secret: it is never shown whole. */
  url: Type.String({ description: 'The incoming-webhook URL, masked' }),
  audience: Audience,
  componentIds: Type.Array(Type.String()),
  staffEvents: Type.Array(Type.String()),
  digestMinutes: Type.Integer(),
  lastDigestAt: Nullable(IsoDate),
  createdAt: IsoDate,
});
export type ChatChannelView = Static<typeof ChatChannel>;

export const ListedChatChannel = Type.Object({
  ...ChatChannel.properties,
  deliveries: Type.Object({ pending: Type.Integer(), sent: Type.Integer(), failed: Type.Integer(), dead: Type.Integer() }),
  lastError: Nullable(Type.String()),
});
export type ListedChatChannelView = Static<typeof ListedChatChannel>;

export const CreateChatChannel = Type.Object(
  {
    platform: Platform,
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    name: Name,
    audience: Audience,
    /** Subscriber channels: only events touching these components. Omitted or empty: every event. */
    componentIds: Type.Optional(ComponentIds),
    /** Staff channels: omitted, every staff event. */
    staffEvents: Type.Optional(StaffEvents),
    digestMinutes: Type.Optional(DigestMinutes),
  },
  { additionalProperties: false },
);
export type CreateChatChannelInput = Static<typeof CreateChatChannel>;

export const UpdateChatChannel = Type.Object(
  { name: Type.Optional(Name), componentIds: Type.Optional(ComponentIds), staffEvents: Type.Optional(StaffEvents), digestMinutes: Type.Optional(DigestMinutes) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateChatChannelInput = Static<typeof UpdateChatChannel>;

export const TestQueued = Type.Object({ message: Type.String() });
