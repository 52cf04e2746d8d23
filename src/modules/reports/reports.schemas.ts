import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, Uuid } from '../../http/schema-helpers.js';
import { SeveritySchema } from '../incidents/index.js';

export const ReportQuery = Type.Object(
  { from: IsoDate, to: IsoDate },
  { additionalProperties: false },
);
export type ReportQueryInput = Static<typeof ReportQuery>;

const Mean = Type.Object({ meanSeconds: Nullable(Type.Integer()), samples: Type.Integer() });

const ReportRow = Type.Object({
  count: Type.Integer(),
  mttd: Mean,
  mtta: Mean,
  unacknowledged: Type.Integer(),
  mttm: Mean,
  mttr: Mean,
  firstUpdate: Type.Object({
    p50Seconds: Nullable(Type.Integer()),
    p90Seconds: Nullable(Type.Integer()),
    maxSeconds: Nullable(Type.Integer()),
    withinTarget: Type.Integer(),
    withinTargetShare: Nullable(Type.Number()),
    measured: Type.Integer(),
  }),
  overdueUpdates: Type.Object({ count: Type.Integer(), totalSeconds: Type.Integer(), maxSeconds: Type.Integer() }),
  postmortemsOverdue: Type.Integer(),
});

export const ResponseReport = Type.Object({
  from: IsoDate,
  to: IsoDate,
  /** Which incidents count: public ones whose detectedAt is in [from, to). */
  basis: Type.Literal('detectedAt'),
  targets: Type.Object({ firstUpdateSeconds: Type.Integer() }),
  overall: ReportRow,
  /** Each counted incident's time to its first public update (null: none yet), oldest detection first. */
  incidents: Type.Array(
    Type.Object({ id: Uuid, title: Type.String(), severity: SeveritySchema, detectedAt: IsoDate, firstUpdateSeconds: Nullable(Type.Integer()) }),
  ),
  bySeverity: Type.Object({ P0: ReportRow, P1: ReportRow, P2: ReportRow, P3: ReportRow }),
});
export type ResponseReportView = Static<typeof ResponseReport>;
