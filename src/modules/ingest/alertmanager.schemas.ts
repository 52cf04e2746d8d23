import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, StringEnum, Uuid } from '../../http/schema-helpers.js';

/**
 * Alertmanager's webhook payload, version 4 (`notify/webhook` `Message`: template `Data` plus
 * version, groupKey and truncatedAlerts). Label and annotation values are strings. Fields we do
 * not know are tolerated on the message and on each alert, where a newer Alertmanager may add
 * them; the fields we use must be there and well-formed, or the post is a 400 and nothing is
 * written. Times are Go's RFC 3339 (nanoseconds, any offset); a firing alert's `endsAt` is
 * usually the zero time `0001-01-01T00:00:00Z`.
 */
const KV = Type.Record(Type.String({ maxLength: 1_000 }), Type.String({ maxLength: 10_000 }), { maxProperties: 200 });
const AlertStatus = StringEnum(['firing', 'resolved'] as const);

export const Alert = Type.Object(
  {
    status: AlertStatus,
    labels: KV,
    annotations: KV,
    startsAt: IsoDate,
    endsAt: IsoDate,
    generatorURL: Type.String({ maxLength: 10_000 }),
    fingerprint: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: true },
);

export const AlertmanagerWebhook = Type.Object(
  {
    version: Type.Literal('4'),
    groupKey: Type.String({ minLength: 1, maxLength: 10_000 }),
    truncatedAlerts: Type.Integer({ minimum: 0 }),
    status: AlertStatus,
    receiver: Type.String({ maxLength: 1_000 }),
    groupLabels: KV,
    commonLabels: KV,
    commonAnnotations: KV,
    externalURL: Type.String({ maxLength: 10_000 }),
    alerts: Type.Array(Alert, { minItems: 1, maxItems: 1_000 }),
  },
  { additionalProperties: true },
);
export type AlertmanagerWebhookInput = Static<typeof AlertmanagerWebhook>;

/** What a post did: opened a draft, joined the group's open incident, only noted, or nothing. */
export const IngestResult = Type.Object({
  action: StringEnum(['opened', 'joined', 'noted', 'ignored'] as const),
  incidentId: Nullable(Uuid),
  draft: Nullable(Type.Boolean()),
});
export type IngestResultView = Static<typeof IngestResult>;
