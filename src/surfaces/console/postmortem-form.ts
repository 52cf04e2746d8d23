import type { PostmortemView, PutPostmortemInput } from '../../modules/postmortems/index.js';
import { checkbox, field, type FieldErrors, type FormBody } from './forms.js';

/**
 * The postmortem editor's form: what a `PostmortemView` shows as fields, and what the fields
 * send back as the API's PUT body. Rows are numbered fields (`timeline-0-text`, `action-0-title`)
 * so a checkbox stays with its row; a row left empty is dropped, which is how a row is removed.
 */

/** The five whys: always five fields, more when more were saved through the API. */
export const WHY_FIELDS = 5;
/** The API's limits on the lists: a form never sends more rows than the schema takes. */
const MAX_TIMELINE = 500;
const MAX_ACTIONS = 100;

export interface TimelineRow {
  at: string;
  text: string;
  source: string;
  internal: boolean;
}

export interface ActionRow {
  title: string;
  owner: string;
  dueDate: string;
  done: boolean;
}

export interface PostmortemValues {
  /** The version the form was opened on, sent back so a save over another's is refused. */
  version: string;
  summary: string;
  rootCause: string;
  whys: string[];
  /** One factor a line. */
  contributingFactors: string;
  timeline: TimelineRow[];
  actionItems: ActionRow[];
}

const EMPTY_ACTION: ActionRow = { title: '', owner: '', dueDate: '', done: false };

/** At least `n` entries: the saved ones, then empty strings. */
function padded(list: readonly string[], n: number): string[] {
  return [...list, ...Array<string>(Math.max(0, n - list.length)).fill('')];
}

/** The fields of a saved (or prefilled) postmortem, with one empty action item to write in. */
export function formValues(view: PostmortemView): PostmortemValues {
  return {
    version: String(view.version),
    summary: view.summary,
    rootCause: view.rootCause,
    whys: padded(view.whys, WHY_FIELDS),
    contributingFactors: view.contributingFactors.join('\n'),
    timeline: view.timeline.map((e) => ({ at: e.at, text: e.text, source: e.source, internal: e.internal })),
    actionItems: [
      ...view.actionItems.map((a) => ({ title: a.title, owner: a.owner ?? '', dueDate: a.dueDate ?? '', done: a.done })),
      EMPTY_ACTION,
    ],
  };
}

/** How many numbered rows the form says it has, within the API's limit. */
function rowCount(body: FormBody, name: string, max: number): number {
  const n = Number(field(body, name));
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : 0;
}

/** The form's fields as typed, nothing dropped yet: what a re-rendered form shows. */
export function valuesOf(body: FormBody): PostmortemValues {
  const rows = <T>(count: number, row: (i: number) => T) => Array.from({ length: count }, (_, i) => row(i));
  return {
    version: field(body, 'version'),
    summary: field(body, 'summary'),
    rootCause: field(body, 'rootCause'),
    whys: padded(
      rows(rowCount(body, 'whyRows', 50), (i) => field(body, `why-${i}`)),
      WHY_FIELDS,
    ),
    contributingFactors: field(body, 'contributingFactors'),
    timeline: rows(rowCount(body, 'timelineRows', MAX_TIMELINE), (i) => ({
      at: field(body, `timeline-${i}-at`),
      text: field(body, `timeline-${i}-text`),
      source: field(body, `timeline-${i}-source`),
      internal: checkbox(body, `timeline-${i}-internal`),
    })),
    actionItems: rows(rowCount(body, 'actionRows', MAX_ACTIONS), (i) => ({
      title: field(body, `action-${i}-title`),
      owner: field(body, `action-${i}-owner`),
      dueDate: field(body, `action-${i}-due`),
      done: checkbox(body, `action-${i}-done`),
    })),
  };
}

/** The values with one more empty row of `list` ("Add action item", "Add timeline line" without script). */
export function withEmptyRow(values: PostmortemValues, list: 'timeline' | 'actionItems'): PostmortemValues {
  if (list === 'timeline') return { ...values, timeline: [...values.timeline, { at: '', text: '', source: 'author', internal: false }] };
  return { ...values, actionItems: [...values.actionItems, EMPTY_ACTION] };
}

type Source = 'update' | 'note' | 'author';
const SOURCES = new Set<string>(['update', 'note', 'author'] satisfies Source[]);
const filled = (text: string) => text.trim() !== '';

/** The version the form carried, as `If-Match` would name it; null (no check) when it names none. */
export function versionOf(values: PostmortemValues): number | null {
  return /^\d{1,9}$/.test(values.version) ? Number(values.version) : null;
}

/** The API's PUT body: empty rows and lines dropped, the rest as typed for the schema to judge. */
export function putInput(values: PostmortemValues): PutPostmortemInput {
  return {
    summary: values.summary,
    rootCause: values.rootCause,
    whys: values.whys.map((w) => w.trim()).filter(filled),
    contributingFactors: values.contributingFactors.split(/\r?\n/).map((f) => f.trim()).filter(filled),
    timeline: values.timeline
      .filter((e) => filled(e.text) || filled(e.at))
      .map((e) => ({ at: e.at.trim(), text: e.text, source: (SOURCES.has(e.source) ? e.source : 'author') as Source, internal: e.internal })),
    actionItems: values.actionItems
      .filter((a) => filled(a.title) || filled(a.owner) || filled(a.dueDate))
      .map((a) => ({ title: a.title.trim(), owner: a.owner.trim() || null, dueDate: a.dueDate.trim() || null, done: a.done })),
  };
}

/** What to say beside each part of the form the schema refused. */
const MESSAGES: Record<string, string> = {
  summary: 'Summary is required (at most 20,000 characters).',
  rootCause: 'Root cause is too long (at most 20,000 characters).',
  whys: 'Each why is at most 2,000 characters.',
  contributingFactors: 'Each contributing factor is at most 2,000 characters, and there are at most 50.',
  timeline: 'Each timeline line needs its text and a time with its zone, like 2026-12-07T10:00:00Z.',
  actionItems: 'Each action item needs a description; its due date is a date like 2026-12-20.',
};

/** The schema's complaints (by part of the form) in the editor's words. */
export function postmortemErrors(schemaErrors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.keys(schemaErrors).map((name) => [name, MESSAGES[name] ?? schemaErrors[name]!]));
}
