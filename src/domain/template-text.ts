/**
 * Incident templates are filled by plain substitution, never compiled: `{{name}}` is replaced by
 * a value the caller supplies, in one pass, and nothing else in the text means anything. So
 * `<%= … %>`, `${…}` and `{{constructor}}` come out exactly as written, and a value that itself
 * looks like a placeholder is not expanded again.
 */

/** `{{name}}`, spaces allowed inside the braces; names are letters, digits and `_`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Replaces the placeholders `values` names; unknown ones stay literal. Only own entries count. */
export function fillPlaceholders(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
}

/** What `{{component}}` reads when the incident names no component. */
export const NO_COMPONENTS_TEXT = 'our services';

/** Names as a reader says them: `A`, `A and B`, `A, B and C`. */
export function joinNames(names: readonly string[]): string {
  if (names.length === 0) return NO_COMPONENTS_TEXT;
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The values a template is filled with: `{{component}}` is the names of the incident's
 * components, `{{severity}}` its severity; the caller's own variables come first, except that
 * they cannot redefine those two.
 */
export function templateValues(
  input: { componentNames: readonly string[]; severity: string },
  variables: Readonly<Record<string, string>> = {},
): Map<string, string> {
  const values = new Map<string, string>(Object.entries(variables).filter(([name]) => Object.hasOwn(variables, name)));
  values.set('component', joinNames(input.componentNames));
  values.set('severity', input.severity);
  return values;
}
