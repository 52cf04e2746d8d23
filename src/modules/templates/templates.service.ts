import type { DbOrTx } from '../../db/client.js';
import { fillPlaceholders, templateValues } from '../../domain/template-text.js';
import { Errors } from '../../core/errors.js';
import { recordAudit } from '../audit/index.js';
import { listComponents } from '../components/index.js';
import {
  createIncident,
  MESSAGE_MAX_LENGTH,
  normalizeStatuses,
  type CreateIncidentFromTemplateInput,
  type IncidentDetailView,
} from '../incidents/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import * as repo from './templates.repo.js';
import type {
  CreateTemplateInput,
  IncidentTemplateView,
  UpdateTemplateInput,
} from './templates.schemas.js';

export function toTemplateView(row: repo.TemplateRow): IncidentTemplateView {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    severity: row.severity,
    status: row.status,
    message: row.message,
    componentStatuses: row.componentStatuses,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const nameTaken = (name: string) => new Errors.conflict(`A template named ${name} exists`);

async function assertComponentsExist(db: DbOrTx, statuses: Record<string, string>) {
  const known = new Set((await listComponents(db)).map((c) => c.id));
  const unknown = Object.keys(statuses).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Errors.invalid(`Unknown component ${unknown.join(', ')}`);
}

export async function listTemplates(ctx: SystemContext): Promise<IncidentTemplateView[]> {
  return (await repo.listTemplates(ctx.db)).map(toTemplateView);
}

export async function getTemplate(ctx: SystemContext, id: string): Promise<IncidentTemplateView> {
  const row = await repo.findTemplate(ctx.db, id);
  if (!row) throw new Errors.notFound('Template', id);
  return toTemplateView(row);
}

export async function createTemplate(ctx: ServiceContext, input: CreateTemplateInput): Promise<IncidentTemplateView> {
  const now = ctx.clock();
  const componentStatuses = normalizeStatuses(input.componentStatuses);
  return ctx.db.transaction(async (tx) => {
    await assertComponentsExist(tx, componentStatuses);
    const row = await repo.insertTemplate(tx, { ...input, componentStatuses, createdAt: now, updatedAt: now });
    if (!row) throw nameTaken(input.name);
    const view = toTemplateView(row);
    await recordAudit(tx, ctx.actor, { action: 'template.create', targetType: 'incident_template', targetId: row.id, after: view }, now);
    return view;
  });
}

export async function updateTemplate(ctx: ServiceContext, id: string, input: UpdateTemplateInput): Promise<IncidentTemplateView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findTemplate(tx, id, { lock: true });
    if (!before) throw new Errors.notFound('Template', id);
    const componentStatuses = input.componentStatuses && normalizeStatuses(input.componentStatuses);
    if (componentStatuses) await assertComponentsExist(tx, componentStatuses);
    if (input.name && input.name.toLowerCase() !== before.name.toLowerCase()) {
      const taken = (await repo.listTemplates(tx)).some((t) => t.name.toLowerCase() === input.name!.toLowerCase());
      if (taken) throw nameTaken(input.name);
    }
    const row = await repo.updateTemplate(tx, id, { ...input, componentStatuses }, now);
    const after = toTemplateView(row);
    await recordAudit(tx, ctx.actor, { action: 'template.update', targetType: 'incident_template', targetId: id, before: toTemplateView(before), after }, now);
    return after;
  });
}

export async function deleteTemplate(ctx: ServiceContext, id: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    const before = await repo.findTemplate(tx, id, { lock: true });
    if (!before) throw new Errors.notFound('Template', id);
    await recordAudit(tx, ctx.actor, { action: 'template.delete', targetType: 'incident_template', targetId: id, before: toTemplateView(before) }, now);
    await repo.deleteTemplate(tx, id);
  });
}

/**
 * Opens an incident from a template in one transaction: the body's fields win over the
 * template's; the template's text is filled with plain substitution, never evaluated.
 * Components the template names that were deleted since are left out.
 */
export async function openFromTemplate(ctx: ServiceContext, input: CreateIncidentFromTemplateInput): Promise<IncidentDetailView> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const template = await repo.findTemplate(tx, input.templateId);
    if (!template) throw new Errors.invalid(`Unknown template ${input.templateId}`);
    const components = await listComponents(tx);
    const known = new Map(components.map((c) => [c.id, c.name]));
    const statuses = input.componentStatuses
      ? normalizeStatuses(input.componentStatuses)
      : Object.fromEntries(Object.entries(template.componentStatuses).filter(([id]) => known.has(id)));
    const severity = input.severity ?? template.severity;
    const componentNames = components.filter((c) => c.id in statuses).map((c) => c.name);
    const values = templateValues({ componentNames, severity }, input.variables);
    const { templateId, variables: _variables, ...overrides } = input;
    // Filling happens after the body was validated: 4,000 placeholders of a 500-character
    // variable would otherwise publish a 2 MB update past every limit the API sets.
    const message = input.message ?? fillPlaceholders(template.message, values);
    if (message.length > MESSAGE_MAX_LENGTH) {
      throw new Errors.invalid(`The filled message is ${message.length} characters; at most ${MESSAGE_MAX_LENGTH} are allowed`);
    }
    // The incident is opened in this transaction, at this verb's instant.
    const incident = await createIncident(
      { ...ctx, db: tx, clock: () => now },
      {
        ...overrides,
        title: input.title ?? fillPlaceholders(template.title, values).slice(0, 200),
        message,
        severity,
        status: input.status ?? template.status,
        componentStatuses: statuses,
      },
    );
    await recordAudit(tx, ctx.actor, { action: 'template.use', targetType: 'incident', targetId: incident.id, after: { templateId } }, now);
    return incident;
  });
}
