import type { AuditRecordView } from '../../modules/audit/index.js';
import { displayTime, type DisplayTime } from '../../text/time.js';

/** One field a write changed: its value before and after, as compact JSON ("" when absent). */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

const json = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a write changed, field by field, for a reader: for two objects the top-level fields that
 * differ (an update's before and after), for a creation or a deletion every field it carries.
 * Anything else (a list, a number) is one change of the whole value.
 */
export function auditChanges(before: unknown, after: unknown): FieldChange[] {
  const b = before ?? undefined;
  const a = after ?? undefined;
  if ((b === undefined || isRecord(b)) && (a === undefined || isRecord(a))) {
    const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
    return fields
      .map((field) => ({ field, before: json(b?.[field]), after: json(a?.[field]) }))
      .filter((change) => change.before !== change.after);
  }
  return json(b) === json(a) ? [] : [{ field: '', before: json(b), after: json(a) }];
}

export interface AuditRow {
  id: string;
  at: DisplayTime;
  who: string;
  viaToken: boolean;
  action: string;
  object: string;
  changes: FieldChange[];
  /** The two whole values, indented, for the folded-away detail; null when the row has neither. */
  full: { before: string; after: string } | null;
}

/** A page of the log as the console's table shows it. */
export function auditRows(items: AuditRecordView[], timeZone: string): AuditRow[] {
  return items.map((item) => ({
    id: item.id,
    at: displayTime(new Date(item.at), timeZone),
    who: item.actor ? `${item.actor.name} <${item.actor.email}>` : 'system or a deleted user',
    viaToken: item.tokenId !== null,
    action: item.action,
    object: item.objectId ? `${item.objectType} ${item.objectId}` : item.objectType,
    changes: auditChanges(item.before, item.after),
    full:
      item.before === null && item.after === null
        ? null
        : { before: JSON.stringify(item.before, null, 2), after: JSON.stringify(item.after, null, 2) },
  }));
}
