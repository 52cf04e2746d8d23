import { editedVersion, field, fieldValues, type FormBody } from './forms.js';

/** The chat channel edit form: its fields, the API body it makes, and its version. */

export interface ChannelEditValues {
  name: string;
  componentIds: string[];
  staffEvents: string[];
  digestMinutes: string;
  /** The `editedVersion` of what the form was opened on. */
  version: string;
}

export const channelEditValues = (body: FormBody): ChannelEditValues => ({
  name: field(body, 'name'),
  componentIds: fieldValues(body, 'componentIds'),
  staffEvents: fieldValues(body, 'staffEvents'),
  digestMinutes: field(body, 'digestMinutes'),
  version: field(body, 'version'),
});

/** What the edit form edits, as saved, and its version: the URL and the audience are not among them. */
export function savedChannel(c: { name: string; componentIds: string[]; staffEvents: string[]; digestMinutes: number }): ChannelEditValues {
  const values = { name: c.name, componentIds: c.componentIds, staffEvents: c.staffEvents, digestMinutes: String(c.digestMinutes) };
  return { ...values, version: editedVersion([values.name, values.componentIds.join(' '), values.staffEvents.join(' '), values.digestMinutes]) };
}

/**
 * The API's PATCH body from the form: a channel's audience is fixed, so each sends only its own
 * part (a staff channel's components or a subscriber channel's staff events would be refused).
 */
export function channelEditInput(audience: 'subscriber' | 'staff', values: ChannelEditValues) {
  const name = values.name.trim();
  return audience === 'staff'
    ? { name, staffEvents: values.staffEvents, digestMinutes: Number(values.digestMinutes) }
    : { name, componentIds: values.componentIds };
}
