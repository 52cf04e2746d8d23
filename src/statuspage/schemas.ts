/**
 * Statuspage's public v2 API shapes (https://<page>/api/v2/…), field for field, so existing
 * Statuspage clients and widgets read us unchanged. Every object is closed
 * (additionalProperties: false): a field we did not name here cannot leave the server.
 */
import { Type, type Static } from 'typebox';
import { COMPONENT_STATUSES, IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from '../domain/vocabulary.js';
import { StringEnum } from '../http/schema-helpers.js';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
/** ISO 8601 with the page zone's offset. */
const Time = Type.String({ format: 'date-time' });

/**
 * Statuspage's indicator as its pages send it: the documented four, and `maintenance` while
 * maintenance is under way and nothing is worse.
 */
export const V2_INDICATORS = ['none', 'maintenance', 'minor', 'major', 'critical'] as const;

/** An incident's status: ours, and `postmortem` once a resolved incident's postmortem is published. */
export const V2_INCIDENT_STATUSES = [...INCIDENT_STATUSES, 'postmortem'] as const;
export type V2Indicator = (typeof V2_INDICATORS)[number];

export const V2Page = Type.Object(
  { id: Type.String(), name: Type.String(), url: Type.String(), time_zone: Type.String(), updated_at: Time },
  closed,
);

export const V2Status = Type.Object({ indicator: StringEnum(V2_INDICATORS), description: Type.String() }, closed);

const componentProperties = {
  id: Type.String(),
  name: Type.String(),
  status: StringEnum(COMPONENT_STATUSES),
  created_at: Time,
  updated_at: Time,
  position: Type.Integer(),
  description: Nullable(Type.String()),
  showcase: Type.Boolean(),
  /** YYYY-MM-DD: when the component's history begins. */
  start_date: Nullable(Type.String({ format: 'date' })),
  group_id: Nullable(Type.String()),
  page_id: Type.String(),
  group: Type.Boolean(),
  only_show_if_degraded: Type.Boolean(),
  /** Group rows only: their members' ids. */
  components: Type.Optional(Type.Array(Type.String())),
};
export const V2Component = Type.Object(componentProperties, closed);
export type V2ComponentView = Static<typeof V2Component>;

export const V2AffectedComponent = Type.Object(
  { code: Type.String(), name: Type.String(), old_status: StringEnum(COMPONENT_STATUSES), new_status: StringEnum(COMPONENT_STATUSES) },
  closed,
);

const UPDATE_STATUSES = [...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES] as const;

export const V2IncidentUpdate = Type.Object(
  {
    id: Type.String(),
    status: StringEnum(UPDATE_STATUSES),
    body: Type.String(),
    incident_id: Type.String(),
    created_at: Time,
    updated_at: Time,
    display_at: Time,
    affected_components: Nullable(Type.Array(V2AffectedComponent)),
    deliver_notifications: Type.Boolean(),
  },
  closed,
);
export type V2IncidentUpdateView = Static<typeof V2IncidentUpdate>;

const incidentProperties = {
  id: Type.String(),
  name: Type.String(),
  status: StringEnum(V2_INCIDENT_STATUSES),
  created_at: Time,
  updated_at: Time,
  monitoring_at: Nullable(Time),
  resolved_at: Nullable(Time),
  impact: StringEnum(IMPACTS),
  shortlink: Type.String(),
  started_at: Time,
  page_id: Type.String(),
  incident_updates: Type.Array(V2IncidentUpdate),
  components: Type.Array(V2Component),
};
export const V2Incident = Type.Object(incidentProperties, closed);
export type V2IncidentView = Static<typeof V2Incident>;

export const V2Maintenance = Type.Object(
  {
    ...incidentProperties,
    status: StringEnum(MAINTENANCE_STATUSES),
    impact: StringEnum(['maintenance'] as const),
    scheduled_for: Time,
    scheduled_until: Time,
  },
  closed,
);
export type V2MaintenanceView = Static<typeof V2Maintenance>;

const page = { page: V2Page };
export const V2Summary = Type.Object(
  {
    ...page,
    components: Type.Array(V2Component),
    incidents: Type.Array(V2Incident),
    scheduled_maintenances: Type.Array(V2Maintenance),
    status: V2Status,
  },
  closed,
);
export const V2StatusDoc = Type.Object({ ...page, status: V2Status }, closed);
export const V2Components = Type.Object({ ...page, components: Type.Array(V2Component) }, closed);
export const V2Incidents = Type.Object({ ...page, incidents: Type.Array(V2Incident) }, closed);
export const V2Maintenances = Type.Object({ ...page, scheduled_maintenances: Type.Array(V2Maintenance) }, closed);
