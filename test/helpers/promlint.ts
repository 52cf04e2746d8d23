/**
 * The naming rules `promtool check metrics` applies (prometheus/client_golang's promlint), over
 * Prometheus' text format: one problem per line, `name: what`. Not a parser for every corner of
 * the format; enough for what prom-client writes.
 */
const UNIT_ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];
const NON_BASE_UNITS = ['minutes', 'hours', 'days', 'weeks', 'milliseconds', 'microseconds', 'nanoseconds', 'bits', 'kilobytes', 'megabytes'];
const TYPE_WORDS = ['counter', 'gauge', 'histogram', 'summary'];

interface Family {
  name: string;
  type?: string;
  help?: string;
  labels: Set<string>;
}

export function parseFamilies(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    if (!families.has(name)) families.set(name, { name, labels: new Set() });
    return families.get(name)!;
  };
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'HELP') family(meta[2]!).help = meta[3];
      else family(meta[2]!).type = meta[3];
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line);
    if (!sample) continue;
    // A histogram's samples are named after its family with a suffix.
    const sampleName = sample[1]!;
    const name = [...families.keys()].find((f) => sampleName === f || (sampleName.startsWith(f) && /^_(bucket|sum|count)$/.test(sampleName.slice(f.length)))) ?? sampleName;
    for (const [, label] of (sample[2] ?? '').matchAll(/(\w+)="/g)) family(name).labels.add(label!);
  }
  return families;
}

export function lintMetrics(text: string): string[] {
  const problems: string[] = [];
  for (const { name, type = 'untyped', help, labels } of parseFamilies(text).values()) {
    const problem = (what: string) => problems.push(`${name}: ${what}`);
    const segments = name.toLowerCase().split('_');
    if (!help) problem('no help text');
    if (type === 'counter' && !name.endsWith('_total')) problem('counter metrics should have "_total" suffix');
    if (type !== 'counter' && type !== 'untyped' && name.endsWith('_total')) problem('non-counter metrics should not have "_total" suffix');
    if (type !== 'histogram' && type !== 'untyped' && name.endsWith('_bucket')) problem('non-histogram metrics should not have "_bucket" suffix');
    if (!['histogram', 'summary', 'untyped'].includes(type) && /_(count|sum)$/.test(name)) problem('non-histogram and non-summary metrics should not have "_count" or "_sum" suffix');
    if (type !== 'histogram' && labels.has('le')) problem('non-histogram metrics should not have "le" label');
    if (type !== 'summary' && labels.has('quantile')) problem('non-summary metrics should not have "quantile" label');
    if (name.includes(':')) problem("metric names should not contain ':'");
    if (/[a-z][A-Z]/.test(name) || [...labels].some((l) => /[a-z][A-Z]/.test(l))) problem("names should be written in 'snake_case' not 'camelCase'");
    if (segments.slice(1).some((s) => UNIT_ABBREVIATIONS.includes(s))) problem('metric names should not contain abbreviated units');
    if (segments.some((s) => NON_BASE_UNITS.includes(s))) problem('use base units (seconds, bytes)');
    if (segments.slice(1).some((s) => TYPE_WORDS.includes(s))) problem('metric name should not include its type');
  }
  return problems;
}
