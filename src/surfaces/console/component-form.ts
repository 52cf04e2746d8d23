import type { ComponentRow } from '../../modules/components/index.js';
import { editedVersion, field, type FormBody } from './forms.js';

/** The Components screen's edit forms: their fields, the API bodies they make, and their versions. */

export interface ComponentValues {
  name: string;
  description: string;
  groupId: string;
  /** An edit form's `editedVersion` of what it was opened on. */
  version: string;
}
export interface GroupValues {
  groupName: string;
  version: string;
}

export const componentValues = (body: FormBody): ComponentValues => ({
  name: field(body, 'name'),
  description: field(body, 'description'),
  groupId: field(body, 'groupId'),
  version: field(body, 'version'),
});
export const groupValues = (body: FormBody): GroupValues => ({ groupName: field(body, 'groupName'), version: field(body, 'version') });

/** What the component edit form edits, as saved, and its version. */
export const savedComponent = (c: ComponentRow): ComponentValues => {
  const values = { name: c.name, description: c.description, groupId: c.groupId ?? '' };
  return { ...values, version: editedVersion([values.name, values.description, values.groupId]) };
};
export const savedGroup = (g: { name: string }): GroupValues => ({ groupName: g.name, version: editedVersion([g.name]) });

/**
 * A save from a form opened before someone else changed what it edits: nothing is saved, and
 * the form comes back with the person's text, carrying the version now saved, so that a second
 * Save replaces the other change knowingly.
 */
export const staleMessage = (kind: string, now: string) =>
  `Someone else changed this ${kind} after you opened it (it is now ${now}). Nothing was saved; your text is kept below. Save again to replace their change with yours.`;

/** The component body of the API from the form: no group is `null`, as the API says it. */
export const componentInput = (values: ComponentValues) => ({ name: values.name.trim(), description: values.description, groupId: values.groupId === '' ? null : values.groupId });
