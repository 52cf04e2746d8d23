import { Type, type Static } from 'typebox';
import { IMPACTS, INCIDENT_STATUSES, SEVERITIES, UPDATE_KINDS, type ComponentStatus } from '../../domain/vocabulary.js';
import { IsoDate, Nullable, StoredIsoDate, StringEnum, UUID_PATTERN, Uuid } from '../../http/schema-helpers.js';
import { ComponentStatusSchema } from '../components/index.js';
import { LANGUAGES, type Language } from '../../domain/languages.js';

export const SeveritySchema = StringEnum(SEVERITIES);
export const ImpactSchema = StringEnum(IMPACTS);
export const IncidentStatusSchema = StringEnum(INCIDENT_STATUSES);
/** Statuses an ordinary update may set: resolving is the resolution announcement's job. */
export const OpenStatusSchema = StringEnum(['investigating', 'identified', 'monitoring'] as const);

const Title = Type.String({ minLength: 1, maxLength: 200 });
/** The longest update message, however it was written (a filled template included). */
export const MESSAGE_MAX_LENGTH = 20_000;
const Message = Type.String({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH });
/**
 * `{ de: "…" }`: the message in other languages, Markdown like `message`, shown to readers of
 * that language (page, feeds, mails); readers of any other get `message`.
 */
export const MessageTranslations = Type.Unsafe<Partial<Record<Language, string>>>(
  Type.Object(Object.fromEntries(LANGUAGES.map((lang) => [lang, Type.Optional(Message)])), {
    additionalProperties: false,
    description: 'The message in other languages, by language code (en, de, fr, es, pt, ja): Markdown, as `message`',
  }),
);
/** `{ [componentId]: status }`; ids are checked against the database by the service. */
export const ComponentStatuses = Type.Unsafe<Record<string, ComponentStatus>>({
  type: 'object',
  propertyNames: { type: 'string', pattern: UUID_PATTERN },
  additionalProperties: ComponentStatusSchema,
  maxProperties: 200,
});

export const CreateIncident = Type.Object(
  {
    title: Title,
    severity: SeveritySchema,
    status: OpenStatusSchema,
    message: Message,
    messages: Type.Optional(MessageTranslations),
    componentStatuses: Type.Optional(ComponentStatuses),
    startedAt: Type.Optional(StoredIsoDate),
    detectedAt: Type.Optional(StoredIsoDate),
    impactOverride: Type.Optional(Nullable(ImpactSchema)),
    notify: Type.Optional(Type.Boolean()),
    draft: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateIncidentInput = Static<typeof CreateIncident>;

export const AddUpdate = Type.Object(
  {
    status: OpenStatusSchema,
    message: Message,
    messages: Type.Optional(MessageTranslations),
    componentStatuses: Type.Optional(ComponentStatuses),
    notify: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AddUpdateInput = Static<typeof AddUpdate>;

export const Resolve = Type.Object(
  {
    message: Message,
    messages: Type.Optional(MessageTranslations),
    summary: Type.String({ minLength: 1, maxLength: 5_000 }),
    postmortemDueAt: Type.Optional(StoredIsoDate),
    componentStatuses: Type.Optional(ComponentStatuses),
    notify: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ResolveInput = Static<typeof Resolve>;

export const Publish = Type.Object(
  {
    status: Type.Optional(OpenStatusSchema),
    message: Type.Optional(Message),
    componentStatuses: Type.Optional(ComponentStatuses),
    notify: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PublishInput = Static<typeof Publish>;

const RoleAssignment = Type.Optional(Nullable(Uuid));
export const Roles = Type.Object({
  commander: Nullable(Uuid),
  techLead: Nullable(Uuid),
  commsLead: Nullable(Uuid),
  scribe: Nullable(Uuid),
});

export const PatchIncident = Type.Object(
  {
    title: Type.Optional(Title),
    severity: Type.Optional(SeveritySchema),
    impactOverride: Type.Optional(Nullable(ImpactSchema)),
    roles: Type.Optional(
      Type.Object(
        { commander: RoleAssignment, techLead: RoleAssignment, commsLead: RoleAssignment, scribe: RoleAssignment },
        { additionalProperties: false },
      ),
    ),
    startedAt: Type.Optional(StoredIsoDate),
    detectedAt: Type.Optional(StoredIsoDate),
    acknowledgedAt: Type.Optional(Nullable(StoredIsoDate)),
    mitigatedAt: Type.Optional(Nullable(StoredIsoDate)),
    resolvedAt: Type.Optional(StoredIsoDate),
    postmortemDueAt: Type.Optional(Nullable(StoredIsoDate)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchIncidentInput = Static<typeof PatchIncident>;

export const AddNote = Type.Object({ text: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false });

export const IncidentUpdate = Type.Object({
  id: Uuid,
  incidentId: Uuid,
  status: IncidentStatusSchema,
  body: Type.String(),
  /** `body` in other languages, as written. */
  messages: MessageTranslations,
  componentStatuses: ComponentStatuses,
  notify: Type.Boolean(),
  kind: StringEnum(UPDATE_KINDS),
  summary: Nullable(Type.String()),
  authorId: Nullable(Uuid),
  createdAt: IsoDate,
  publishedAt: Nullable(IsoDate),
  /** Subscriber deliveries announcing this update (none: it announced nothing). */
  deliveries: Type.Optional(
    Type.Object({ pending: Type.Integer(), sent: Type.Integer(), failed: Type.Integer(), dead: Type.Integer() }),
  ),
});
export type IncidentUpdateView = Static<typeof IncidentUpdate>;

export const IncidentNote = Type.Object({
  id: Uuid,
  incidentId: Uuid,
  authorId: Nullable(Uuid),
  at: IsoDate,
  text: Type.String(),
});
export type IncidentNoteView = Static<typeof IncidentNote>;

const incidentProperties = {
  id: Uuid,
  title: Type.String(),
  severity: SeveritySchema,
  impact: ImpactSchema,
  impactOverride: Nullable(ImpactSchema),
  status: IncidentStatusSchema,
  draft: Type.Boolean(),
  roles: Roles,
  /** The status this incident last set on each component it touched. */
  components: ComponentStatuses,
  startedAt: IsoDate,
  detectedAt: IsoDate,
  acknowledgedAt: Nullable(IsoDate),
  firstPublicUpdateAt: Nullable(IsoDate),
  mitigatedAt: Nullable(IsoDate),
  resolvedAt: Nullable(IsoDate),
  postmortemDueAt: Nullable(IsoDate),
  // Response clocks (see src/domain/response-clocks.ts).
  timeToFirstUpdateSeconds: Nullable(Type.Integer()),
  firstUpdateDueAt: IsoDate,
  firstUpdateBreached: Type.Boolean(),
  lastPublicUpdateAt: Nullable(IsoDate),
  nextUpdateDueAt: Nullable(IsoDate),
  updateOverdue: Type.Boolean(),
  acknowledgeDueAt: IsoDate,
  acknowledgeBreached: Type.Boolean(),
  /** Resolved P0–P2 past its postmortemDueAt without a published postmortem. */
  postmortemOverdue: Type.Boolean(),
  version: Type.Integer(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
};

export const Incident = Type.Object(incidentProperties);
export type IncidentView = Static<typeof Incident>;

export const IncidentDetail = Type.Object({
  ...incidentProperties,
  updates: Type.Array(IncidentUpdate),
  notes: Type.Array(IncidentNote),
  /** Reminders sent to responders about this incident's clocks (see src/modules/reminders). */
  reminders: Type.Array(Type.Object({ kind: Type.String(), dueAt: IsoDate, sentAt: IsoDate, recipients: Type.Array(Type.String()) })),
});
export type IncidentDetailView = Static<typeof IncidentDetail>;

export const ListQuery = Type.Object(
  { state: Type.Optional(StringEnum(['open', 'resolved', 'all'] as const, { default: 'open' })) },
  { additionalProperties: false },
);

/**
 * `POST /api/admin/incidents` with a `templateId`: the template gives what the body leaves out.
 * Text from the template is filled with `{{component}}`, `{{severity}}` and `variables`.
 */
export const CreateIncidentFromTemplate = Type.Object(
  {
    templateId: Uuid,
    variables: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 50 }), Type.String({ maxLength: 500 }), {
        maxProperties: 50,
        additionalProperties: false,
      }),
    ),
    // Every field of a plain create, each optional: what the body leaves out, the template gives.
    ...Type.Partial(CreateIncident).properties,
  },
  { additionalProperties: false },
);
export type CreateIncidentFromTemplateInput = Static<typeof CreateIncidentFromTemplate>;
