import { Errors } from '../../core/errors.js';
import { createHash } from 'node:crypto';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { zonedWallTime } from '../../domain/calendar-months.js';
import { COMPONENT_STATUSES, type ComponentStatus } from '../../domain/vocabulary.js';
import { isoInZone } from '../../text/zoned-iso.js';

/**
 * What the console's HTML forms send, turned into the JSON API's inputs and checked against the
 * API's own schemas: a form can ask for nothing the API would refuse, and says why next to the
 * field when it does.
 */

/** A form post: the body @fastify/formbody parsed, the CSRF token among its fields. */
export const FormSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));

/** A urlencoded body as @fastify/formbody parses it: repeated names become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/** Messages by field name; `form` is for what belongs to no one field. */
export type FieldErrors = Record<string, string>;

/** One value of a field (the last, when a name repeats), trimmed of nothing: text is kept as typed. */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value.at(-1) : value) ?? '';
}

/** Every value of a repeated field (ticked boxes): none, one or many. */
export function fieldValues(body: FormBody, name: string): string[] {
  const value = body[name];
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** An unchecked checkbox sends nothing; a form that sends `notify=off` (hidden default) means off. */
export function checkbox(body: FormBody, name: string): boolean {
  return fieldValues(body, name).includes('on');
}

/** The prefix of a component's status select: `component-<id>`. */
export const COMPONENT_FIELD = 'component-';

/** Every component status select of the form, `{ id → status }`, unknown statuses included (the schema refuses them). */
export function componentSelections(body: FormBody): Record<string, string> {
  return Object.fromEntries(
    Object.keys(body)
      .filter((name) => name.startsWith(COMPONENT_FIELD))
      .map((name) => [name.slice(COMPONENT_FIELD.length), field(body, name)]),
  );
}

export function isComponentStatus(value: string): value is ComponentStatus {
  return (COMPONENT_STATUSES as readonly string[]).includes(value);
}

/** The API schema's complaints, by the form field they belong to (the first per field). */
export function schemaErrors(schema: TSchema, input: unknown, fieldOf: (property: string) => string = (p) => p): FieldErrors {
  const errors: FieldErrors = {};
  for (const error of Value.Errors(schema, input)) {
    const property = error.instancePath.split('/')[1] || 'form';
    const name = fieldOf(property);
    errors[name] ??= describe(property, error.message);
  }
  return errors;
}

const NAMES: Record<string, string> = {
  title: 'Title',
  message: 'Message',
  severity: 'Severity',
  status: 'Status',
  summary: 'Summary',
  componentStatuses: 'A component status',
  startedAt: 'Started at',
  detectedAt: 'Detected at',
  postmortemDueAt: 'Postmortem due date',
  name: 'Name',
  description: 'Description',
  groupId: 'Group',
  componentIds: 'Components',
  body: 'Message',
  scheduledFor: 'Starts at',
  scheduledUntil: 'Ends at',
  since: 'Since',
  until: 'Until',
};

/** The fields that take a time: their complaint shows the form a time must have. */
const TIMES = new Set(['startedAt', 'detectedAt', 'postmortemDueAt', 'scheduledFor', 'scheduledUntil', 'since', 'until']);

function describe(property: string, message: string): string {
  if (message.includes('fewer than 1')) return `${NAMES[property] ?? property} is required.`;
  if (message.includes('more than')) return `${NAMES[property] ?? property} is too long (${message.replace(/^must not have /, 'at most ')}).`;
  if (TIMES.has(property)) {
    return `${NAMES[property]} must be a time with its zone, like 2026-12-07T10:00:00Z.`;
  }
  return `${NAMES[property] ?? property}: ${message}.`;
}

/**
 * The version of what an edit form edits, as a short digest of those fields' saved values: the
 * form carries it hidden, and a save whose version no longer matches was made on a stale read.
 * Unlike `updatedAt`, it does not move when a part the form leaves alone changes (a component's
 * status, set by an incident or the status page it follows, while its owner renames it).
 */
export function editedVersion(saved: readonly (string | null)[]): string {
  return createHash('sha256').update(JSON.stringify(saved)).digest('base64url').slice(0, 22);
}

/**
 * The check a save makes on the row its verb has locked, inside the verb's transaction: refused
 * (412, `isStale`) when the form was opened on another version of it, so two saves of one form
 * version cannot both pass. A post without a version (not from our form) is not checked, as an
 * API write without `If-Match` is not.
 */
export function sameVersion<Row>(given: string, versionOf: (row: Row) => string): (row: Row) => void {
  return (row) => {
    if (given !== '' && versionOf(row) !== given) throw new Errors.preconditionFailed('It was changed by someone else since the form was opened');
  };
}

/** An optional time field: empty means "not given". */
export function optionalText(value: string): string | undefined {
  return value.trim() === '' ? undefined : value.trim();
}

/** An instant as a `datetime-local` field shows it in the page's display zone: `localInstant`'s inverse. */
export function localField(at: Date, timeZone: string): string {
  const iso = isoInZone(at, timeZone);
  return iso.slice(17, 19) === '00' ? iso.slice(0, 16) : iso.slice(0, 19);
}

/**
 * A `datetime-local` field (`2026-12-07T10:00`, no zone) read as a time in the page's display
 * zone, as an ISO instant; any other text goes to the schema as it is (a time with its zone
 * passes, the rest is refused beside the field).
 */
export function localInstant(value: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return value.trim();
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0));
  return zonedWallTime(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!), timeZone).toISOString();
}
