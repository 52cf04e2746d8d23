import { Type, type Static } from 'typebox';
import { IsoDate, Uuid } from '../../http/schema-helpers.js';
import { ComponentStatuses, OpenStatusSchema, SeveritySchema } from '../incidents/index.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Title = Type.String({ minLength: 1, maxLength: 200 });
const Message = Type.String({ minLength: 1, maxLength: 20_000 });

export const CreateTemplate = Type.Object(
  {
    name: Name,
    title: Title,
    severity: SeveritySchema,
    status: OpenStatusSchema,
    message: Message,
    componentStatuses: Type.Optional(ComponentStatuses),
  },
  { additionalProperties: false },
);
export type CreateTemplateInput = Static<typeof CreateTemplate>;

export const UpdateTemplate = Type.Object(
  {
    name: Type.Optional(Name),
    title: Type.Optional(Title),
    severity: Type.Optional(SeveritySchema),
    status: Type.Optional(OpenStatusSchema),
    message: Type.Optional(Message),
    componentStatuses: Type.Optional(ComponentStatuses),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTemplateInput = Static<typeof UpdateTemplate>;

export const IncidentTemplate = Type.Object({
  id: Uuid,
  name: Type.String(),
  title: Type.String(),
  severity: SeveritySchema,
  status: OpenStatusSchema,
  message: Type.String(),
  componentStatuses: ComponentStatuses,
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type IncidentTemplateView = Static<typeof IncidentTemplate>;
