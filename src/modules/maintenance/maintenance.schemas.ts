import { Type, type Static } from 'typebox';
import { MAINTENANCE_STATUSES } from '../../domain/vocabulary.js';
import { IsoDate, Nullable, StoredIsoDate, StringEnum, Uuid } from '../../http/schema-helpers.js';

export const MaintenanceStatusSchema = StringEnum(MAINTENANCE_STATUSES);

const Title = Type.String({ minLength: 1, maxLength: 200 });
const Body = Type.String({ minLength: 1, maxLength: 20_000 });
const ComponentIds = Type.Array(Uuid, { maxItems: 200, uniqueItems: true });

export const CreateMaintenance = Type.Object(
  {
    title: Title,
    /** Markdown: what will be done and what users will notice. */
    body: Body,
    scheduledFor: StoredIsoDate,
    scheduledUntil: StoredIsoDate,
    componentIds: Type.Optional(ComponentIds),
    /** Start at `scheduledFor` and complete at `scheduledUntil` without anyone acting (default on). */
    autoStart: Type.Optional(Type.Boolean()),
    autoComplete: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateMaintenanceInput = Static<typeof CreateMaintenance>;

export const PatchMaintenance = Type.Object(
  {
    title: Type.Optional(Title),
    body: Type.Optional(Body),
    scheduledFor: Type.Optional(StoredIsoDate),
    scheduledUntil: Type.Optional(StoredIsoDate),
    componentIds: Type.Optional(ComponentIds),
    autoStart: Type.Optional(Type.Boolean()),
    autoComplete: Type.Optional(Type.Boolean()),
    /** Forward only: scheduled → in_progress → verifying → completed, steps may be skipped. */
    status: Type.Optional(MaintenanceStatusSchema),
    /** Shown on the page with the status change (a standard sentence when left out); alone, a progress update. */
    message: Type.Optional(Body),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchMaintenanceInput = Static<typeof PatchMaintenance>;

export const MaintenanceUpdate = Type.Object({
  id: Uuid,
  status: MaintenanceStatusSchema,
  body: Type.String(),
  authorId: Nullable(Uuid),
  createdAt: IsoDate,
});

export const Maintenance = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  status: MaintenanceStatusSchema,
  scheduledFor: IsoDate,
  scheduledUntil: IsoDate,
  autoStart: Type.Boolean(),
  autoComplete: Type.Boolean(),
  componentIds: Type.Array(Uuid),
  startedAt: Nullable(IsoDate),
  verifyingAt: Nullable(IsoDate),
  completedAt: Nullable(IsoDate),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /** Newest first. */
  updates: Type.Array(MaintenanceUpdate),
});
export type MaintenanceView = Static<typeof Maintenance>;

export const ListMaintenancesQuery = Type.Object(
  { state: Type.Optional(StringEnum(['open', 'completed', 'all'] as const, { default: 'open' })) },
  { additionalProperties: false },
);
