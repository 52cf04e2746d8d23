import fc from 'fast-check';

/**
 * Arbitraries from JSON-schema nodes as the OpenAPI document states them (OpenAPI 3.0:
 * `nullable`, no `$ref`): values the schema accepts, to get past validation into the verbs,
 * and values it surely refuses, to check they are a 4xx. "Surely" counts with Fastify's ajv,
 * which coerces (`"12"` → 12, `null` → `""`, `x` → `[x]`): only what no coercion rescues is
 * offered as invalid, so a refusal is a property, not a guess.
 */
export interface SchemaNode {
  type?: string;
  enum?: unknown[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  minProperties?: number;
  maxProperties?: number;
}

/** What generation may draw on besides the schema: ids of rows that exist, so references resolve. */
export interface GenerationContext {
  knownIds: string[];
}

/** Text a parser, a template, a database or a log line might trip on; each is tried where a string fits. */
export const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff\ud800y',
  '\u202eevil',
  '\ufeffbom',
  'é̃̂ 👩‍👩‍👧 ﷽ 𝕳',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' or '1'='1' --",
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '${7*7}{{7*7}}<%= 7*7 %>',
  'Infinity',
  '1e309',
  '-0',
  '__proto__',
  'constructor',
  ' ',
  '\r\n\r\nX-Injected: 1',
  '>'.repeat(200),
  '- '.repeat(100) + 'x',
  '*'.repeat(300),
  '[['.repeat(300),
];

const UUID_RE = /^\^\[0-9a-fA-F\]\{8\}/;

function bounded(min: number | undefined, max: number | undefined, cap: number): { minLength: number; maxLength: number } {
  const minLength = min ?? 0;
  return { minLength, maxLength: Math.max(minLength, Math.min(max ?? cap, minLength + cap)) };
}

/** `d` written as RFC 3339 in a zone `minutes` east of UTC. */
function isoInZone(d: Date, minutes: number): string {
  if (minutes === 0) return d.toISOString();
  const local = new Date(d.getTime() + minutes * 60_000).toISOString().slice(0, -1);
  const abs = Math.abs(minutes);
  return `${local}${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function fits(node: SchemaNode, s: string): boolean {
  if (node.minLength !== undefined && s.length < node.minLength) return false;
  if (node.maxLength !== undefined && s.length > node.maxLength) return false;
  return node.pattern === undefined || new RegExp(node.pattern, 'u').test(s);
}

function validString(node: SchemaNode, ctx: GenerationContext): fc.Arbitrary<string> {
  switch (node.format) {
    case 'date-time': {
      // Mostly the recent past, as when an incident started; now and then the future, as a maintenance is.
      const now = Date.now();
      const when = fc.oneof(
        { weight: 3, arbitrary: fc.date({ min: new Date(now - 30 * 86_400_000), max: new Date(now - 60_000), noInvalidDate: true }) },
        { weight: 2, arbitrary: fc.date({ min: new Date(now + 3_600_000), max: new Date(now + 60 * 86_400_000), noInvalidDate: true }) },
        { weight: 1, arbitrary: fc.date({ min: new Date('1000-01-02T00:00:00Z'), max: new Date('9999-12-30T23:59:59Z'), noInvalidDate: true }) },
      );
      // A zone other than Z is another spelling of the same instant (a day inside the years 1000–9999, in any zone).
      return fc.tuple(when, fc.constantFrom(0, 0, 330, -660, 840)).map(([d, minutes]) => isoInZone(d, minutes));
    }
    case 'date':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.constantFrom('a@example.test', 'Ünï@example.test', `${'x'.repeat(64)}@example.test`)).filter((s) => fits(node, s));
    case 'uri':
      return fc.webUrl();
  }
  if (node.pattern !== undefined) {
    if (UUID_RE.test(node.pattern)) return ctx.knownIds.length > 0 ? fc.oneof(fc.constantFrom(...ctx.knownIds), fc.uuid()) : fc.uuid();
    return fc.stringMatching(new RegExp(node.pattern, 'u')).filter((s) => fits(node, s));
  }
  const { minLength, maxLength } = bounded(node.minLength, node.maxLength, 40);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength, maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).filter((s) => fits(node, s)) },
    // The longest the schema allows: limits are where off-by-ones and column sizes live.
    { weight: 1, arbitrary: fc.constant('é'.repeat(Math.max(minLength, Math.min(node.maxLength ?? 5000, 25_000)))) },
  );
}

function numberBounds(node: SchemaNode): { min: number; max: number } {
  const min = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : -(2 ** 53) + 1);
  const max = node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - 1 : 2 ** 53 - 1);
  return { min, max };
}

function validNumber(node: SchemaNode): fc.Arbitrary<number> {
  const { min, max } = numberBounds(node);
  const edges = fc.constantFrom(...[min, max, 0, 1, -1].filter((n) => n >= min && n <= max));
  if (node.type === 'integer') return fc.oneof(edges, fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }), fc.maxSafeInteger().filter((n) => n >= min && n <= max));
  return fc.oneof(edges, fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
}

function validObject(node: SchemaNode, ctx: GenerationContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = node.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(props)) model[key] = validValue(child, ctx, depth + 1);
  let record: fc.Arbitrary<Record<string, unknown>> = fc.record(model, { requiredKeys: (node.required ?? []).filter((k) => k in props) });
  if (typeof node.additionalProperties === 'object') {
    const keys = node.propertyNames ? (validValue(node.propertyNames, ctx, depth + 1) as fc.Arbitrary<string>) : fc.string({ maxLength: 20 });
    const map = fc.dictionary(keys, validValue(node.additionalProperties, ctx, depth + 1), { maxKeys: Math.min(node.maxProperties ?? 4, 4) });
    record = fc.tuple(record, map).map(([fixed, extra]) => ({ ...extra, ...fixed }));
  }
  // Plain objects: fc.record may build null-prototype ones, which serialise alike but read oddly in reports.
  return record.map((o) => ({ ...o })).filter((o) => Object.keys(o).length >= (node.minProperties ?? 0));
}

/** Values the schema node accepts (with a small bias to its edges). */
export function validValue(node: SchemaNode, ctx: GenerationContext, depth = 0): fc.Arbitrary<unknown> {
  const inner = validNonNull(node, ctx, depth);
  return node.nullable ? fc.oneof(inner, fc.constant(null)) : inner;
}

function validNonNull(node: SchemaNode, ctx: GenerationContext, depth: number): fc.Arbitrary<unknown> {
  if (node.enum) return fc.constantFrom(...node.enum);
  const branches = node.anyOf ?? node.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => validValue(b, ctx, depth)));
  switch (node.type) {
    case 'string':
      return validString(node, ctx);
    case 'integer':
    case 'number':
      return validNumber(node);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = validValue(node.items ?? {}, ctx, depth + 1);
      const { minLength, maxLength } = bounded(node.minItems, node.maxItems, depth > 2 ? 1 : 3);
      return node.uniqueItems ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(item, { minLength, maxLength });
    }
    case 'object':
      return validObject(node, ctx, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A valid string key not among `taken`, to stand for "a field the schema does not know". */
const UNKNOWN_KEYS = ['isAdmin', 'fuzz_unknown', '__proto__', 'constructor', 'role ', ''];

/**
 * Values the node surely refuses, whatever ajv coerces; `null` when there is no such value this
 * simple code can vouch for (an `anyOf` of unlike branches, a pattern-free string).
 */
export function invalidValue(node: SchemaNode, ctx: GenerationContext): fc.Arbitrary<unknown> | null {
  const candidates = invalidCandidates(node, ctx);
  return candidates.length > 0 ? fc.oneof(...candidates) : null;
}

function invalidCandidates(node: SchemaNode, ctx: GenerationContext): fc.Arbitrary<unknown>[] {
  const branches = node.anyOf ?? node.oneOf;
  if (branches) {
    // Only what fails every branch: a non-object where all are objects.
    return branches.every((b) => b.type === 'object') ? [fc.constantFrom('x', 12, true, [])] : [];
  }
  const out: fc.Arbitrary<unknown>[] = [];
  if (node.enum) {
    const values = node.enum;
    out.push(fc.constantFrom('not-a-member', 'P9', 'OWNER', 'operational ', '%00').filter((v) => !values.includes(v)));
    return out;
  }
  switch (node.type) {
    case 'string':
      out.push(fc.constantFrom({}, { a: 1 }, [[]]));
      if (node.maxLength !== undefined && node.maxLength < 100_000) out.push(fc.constant('x'.repeat(node.maxLength + 1)));
      if ((node.minLength ?? 0) > 0) out.push(fc.constant(''));
      if (node.pattern !== undefined) {
        const re = new RegExp(node.pattern, 'u');
        out.push(fc.constantFrom('not-a-uuid', '3f0e9a5c7b1d4c2e9f4a1b2c3d4e5f60', 'urn:uuid:3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60', '2026-13-45T25:61:61', 'x', '\u0000').filter((s) => !re.test(s)));
      }
      if (node.format === 'date-time') out.push(fc.constantFrom('2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', 'yesterday', '2026-01-01 10:00', '2026-01-01T10:00:00'));
      if (node.format === 'email') out.push(fc.constantFrom('not-an-email', '@', 'a@'));
      break;
    case 'integer':
    case 'number': {
      const { min, max } = numberBounds(node);
      out.push(fc.constantFrom({}, 'abc', '1e309', 'Infinity', '-Infinity', '0x', [1, 2]));
      if (node.minimum !== undefined || node.exclusiveMinimum !== undefined) out.push(fc.constantFrom(min - 1, min - 2 ** 60, -1e308, '-99999999999999999999'));
      if (node.maximum !== undefined || node.exclusiveMaximum !== undefined) out.push(fc.constantFrom(max + 1, max + 2 ** 60, 1e308, '99999999999999999999'));
      if (node.type === 'integer') out.push(fc.constantFrom(0.5, 1.000001, 2 ** 53 + 0.5).filter((n) => n >= min && n <= max));
      break;
    }
    case 'boolean':
      out.push(fc.constantFrom('maybe', 2, {}, 'yes'));
      break;
    case 'array':
      out.push(fc.constantFrom({}, { 0: 'a' }));
      if (node.maxItems !== undefined && node.maxItems <= 600 && node.items) {
        const max = node.maxItems;
        out.push(validValue(node.items, ctx, 3).map((v) => Array.from({ length: max + 1 }, () => v)));
      }
      if (node.uniqueItems && node.items) out.push(validValue(node.items, ctx, 3).map((v) => [v, v]));
      break;
    case 'object':
      out.push(...invalidObjects(node, ctx));
      break;
  }
  return out;
}

function invalidObjects(node: SchemaNode, ctx: GenerationContext): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [fc.constantFrom('x', 12, [], [{}])];
  const valid = validObject(node, ctx, 1);
  const required = (node.required ?? []).filter((k) => node.properties && k in node.properties);
  if (required.length > 0) {
    out.push(fc.tuple(valid, fc.constantFrom(...required)).map(([o, key]) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))));
  }
  if (node.additionalProperties === false) {
    const known = Object.keys(node.properties ?? {});
    const unknown = UNKNOWN_KEYS.filter((k) => !known.includes(k));
    // JSON.parse makes `__proto__` an own key, as a client's text would; an object literal would not.
    out.push(fc.tuple(valid, fc.constantFrom(...unknown), fc.jsonValue({ maxDepth: 1 })).map(([o, k, v]) => ({ ...o, ...JSON.parse(JSON.stringify({ [k]: v })) })));
  }
  const props = Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const bad = invalidValue(child, ctx);
    return bad ? [fc.tuple(fc.constant(key), bad)] : [];
  });
  if (props.length > 0) out.push(fc.tuple(valid, fc.oneof(...props)).map(([o, [k, v]]) => ({ ...o, [k]: v })));
  return out;
}

/** Numbers spelt as JSON allows, that a double or a column cannot hold as written. */
export const HOSTILE_NUMBER_TOKENS = ['1e309', '-1e309', '-0', '9007199254740993', '1e-400', '1E+2', '99999999999999999999', '-9223372036854775809', '0.1e1', '123456789012345678901234567890e-20'];

/** JSON tokens that stand where a value goes: the edges of what a parser reads. */
export const HOSTILE_VALUE_TOKENS = [
  ...HOSTILE_NUMBER_TOKENS,
  '"\\u0000"',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '"\\u202e"',
  `"${'x'.repeat(70_000)}"`,
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '[]',
  '{}',
  'null',
  'true',
];

/** `[[[…]]]` and `{"a":{"a":…}}` around the limit and far past it. */
export const deepNesting = fc.tuple(fc.constantFrom(31, 32, 33, 1_000, 200_000), fc.boolean()).map(([n, arrays]) => (arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n)));

/**
 * Raw JSON text around a value the schema takes: one of its fields written twice (the invalid
 * spelling first or last), one field's value swapped for a hostile token, or text that is not
 * quite JSON. Any of them may be valid after all: only the general properties are checked.
 */
export function rawBodies(value: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(value) ?? 'null';
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  const keys = isObject ? Object.keys(value as object) : [];
  const forms: fc.Arbitrary<string>[] = [
    fc.constantFrom(
      text.slice(0, -1),
      `${text} trailing`,
      `\ufeff${text}`,
      `  ${text}\n\n`,
      text.replace(/"/g, "'"),
      text.replaceAll(':', ':\u0000'),
      '',
      ' ',
      'null',
      '[]',
      '"a"',
      'NaN',
      '{"a":1,}',
    ),
    deepNesting,
  ];
  if (keys.length > 0) {
    const body = text.slice(1, -1);
    forms.push(
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...HOSTILE_VALUE_TOKENS), fc.boolean()).map(([key, token, first]) => {
        const dup = `${JSON.stringify(key)}:${token}`;
        return first ? `{${dup},${body}}` : `{${body},${dup}}`;
      }),
    );
  }
  forms.push(fc.constantFrom(...HOSTILE_VALUE_TOKENS).map((token) => (isObject ? `{${text.slice(1, -1)}${keys.length ? ',' : ''}"extra":${token}}` : token)));
  return fc.oneof(...forms);
}
