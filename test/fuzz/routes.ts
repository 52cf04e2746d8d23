import fc from 'fast-check';
import { invalidValue, rawBodies, validValue, type GenerationContext, type SchemaNode } from './generators.js';

/** One operation of the OpenAPI document, as much of it as the fuzzer needs. */
export interface RouteSpec {
  method: string;
  /** OpenAPI form: `/api/admin/incidents/{id}`. */
  path: string;
  pathParams: { name: string; schema: SchemaNode }[];
  query: { name: string; schema: SchemaNode; required: boolean }[];
  body?: SchemaNode;
}

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: SchemaNode;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: SchemaNode }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every route and method the document describes. */
export function routesOf(doc: OpenApiDocument): RouteSpec[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => {
        const params = op.parameters ?? [];
        return {
          method: method.toUpperCase(),
          path,
          pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
          query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required ?? false })),
          body: op.requestBody?.content?.['application/json']?.schema,
        };
      }),
  );
}

/** Who sends a request; the test turns the name into an `Authorization` header, fresh each time. */
export const ACTORS = ['anonymous', 'viewer', 'responder', 'owner', 'apiToken', 'ingestToken', 'forged'] as const;
export type ActorName = (typeof ACTORS)[number];

export interface FuzzRequest {
  actor: ActorName;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** Why the request must be refused (a 4xx), when its input is surely invalid. */
  surelyInvalid?: string;
}

export interface RouteContext extends GenerationContext {
  /** Ids of existing rows by the path segment that names them (`incidents`, `users`, …). */
  idsBySegment: Record<string, string[]>;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Path segments no id pattern admits, already encoded as a client would put them in a URL. */
const NOT_IDS = ['not-a-uuid', '%00', '..%2F..%2F', "1'%20or%20'1'='1", '3f0e9a5c7b1d4c2e9f4a1b2c3d4e5f60', 'urn:uuid:3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60', '%F0%9F%92%A9', '%E2%80%AE', 'x'.repeat(150), '-1', '1e309'];

/** encodeURIComponent for any string: a lone surrogate, which it throws on, becomes U+FFFD. */
const encode = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

const header = (values: (string | undefined)[]) => fc.constantFrom(...values);
const printable = (s: string) => /^[\x20-\x7e]*$/.test(s);

const ACCEPT = header([undefined, 'application/json', 'text/html', 'text/html,application/xhtml+xml,*/*;q=0.8', '*/*', 'image/svg+xml', 'application/rss+xml', 'text/csv', 'garbage;;;q=x', 'text/html;q=0, application/json', 'a/b,'.repeat(1500)]);
const ACCEPT_ENCODING = header([undefined, 'gzip', 'br', 'gzip, deflate, br, zstd', 'identity;q=0', '*;q=0', 'gzip;q=NaN', ','.repeat(4000)]);
const IF_NONE_MATCH = header([undefined, undefined, '*', 'W/"x"', '"abc", W/"def"', `"${'a'.repeat(4000)}"`, 'garbage', ',,,']);
const IDEMPOTENCY_KEY = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 40 }).filter(printable) },
  { weight: 1, arbitrary: header(['', 'x'.repeat(2000), '../../k', 'k k']) },
);
const IF_MODIFIED_SINCE = header([undefined, undefined, undefined, 'garbage', 'Sat, 01 Jan 10000 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT', 'Mon, 07 Dec 2099 00:00:00 GMT']);
const COOKIE = header([undefined, undefined, undefined, 'a=%ZZ', '__proto__=1; constructor=2', `s=${'b'.repeat(3000)}`]);
/** Content types a JSON body is sent with; only the first two make "surely invalid" hold. */
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const OTHER_TYPES = ['application/json; charset=latin1', 'application/json;charset=utf-16', 'APPLICATION/JSON', 'application/vnd.api+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zzz', 'application/xml', ''];

function pathValue(route: RouteSpec, name: string, ctx: RouteContext): fc.Arbitrary<{ value: string; invalid?: string }> {
  const segments = route.path.split('/');
  const owner = segments[segments.indexOf(`{${name}}`) - 1] ?? '';
  const known = ctx.idsBySegment[owner] ?? ctx.knownIds;
  const options: fc.Arbitrary<{ value: string; invalid?: string }>[] = [
    fc.uuid().map((value) => ({ value })),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => ({ value: encode(s.replace(/^\.+$/, 'dot')) })),
  ];
  if (known.length > 0) options.push(fc.constantFrom(...known).map((value) => ({ value })), fc.constantFrom(...known).map((value) => ({ value })));
  if (route.pathParams.find((p) => p.name === name)?.schema.pattern) {
    options.push(fc.constantFrom(...NOT_IDS).map((value) => ({ value, invalid: `path ${name} is not an id` })));
  }
  return fc.oneof(...options);
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function queryPart(route: RouteSpec, ctx: RouteContext): fc.Arbitrary<{ query: string; invalid?: string }> {
  if (route.query.length === 0) {
    return fc.oneof(fc.constant({ query: '' }), header(['?a=1', '?page=1e309', '?%ZZ', '?x[]=1&x[a]=2', `?q=${'%00'.repeat(5)}`]).map((query) => ({ query: query ?? '' })));
  }
  const each = route.query.map((param) => {
    const bad = invalidValue(param.schema, ctx);
    const forms: fc.Arbitrary<{ pairs: string[]; invalid?: string }>[] = [
      validValue(param.schema, ctx).map((v) => ({ pairs: [`${param.name}=${encode(scalar(v) ?? '')}`] })),
      header(['%ZZ', '%00', '', '1&' + param.name + '=2', 'x'.repeat(3000)]).map((raw) => ({ pairs: [`${param.name}=${raw}`] })),
      fc.constantFrom(`${param.name}[]=1`, `${param.name}[a]=1`, param.name).map((pair) => ({ pairs: [pair] })),
    ];
    if (!param.required) forms.push(fc.constant({ pairs: [] }));
    if (bad) {
      forms.push(
        bad.map((v) => {
          const s = scalar(v);
          // An object or an array has no query-string form: that draw sends nothing. (Filtering
          // them out instead would spin for ever on a plain string, whose only refused values
          // are objects and arrays.)
          return s === undefined ? { pairs: [] } : { pairs: [`${param.name}=${encode(s)}`], invalid: `query ${param.name}=${s.slice(0, 40)}` };
        }),
      );
    }
    return fc.oneof(...forms);
  });
  return fc.tuple(...each).map((parts) => {
    const pairs = parts.flatMap((p) => p.pairs);
    const invalid = parts.find((p) => p.invalid)?.invalid;
    return { query: pairs.length > 0 ? `?${pairs.join('&')}` : '', invalid };
  });
}

function formEncoded(value: unknown): string {
  if (!value || typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([k, v]) => `${encode(k)}=${encode(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');
}

function bodyPart(route: RouteSpec, ctx: RouteContext): fc.Arbitrary<{ payload?: string; contentType?: string; invalid?: string }> {
  const schema = route.body;
  if (!schema) {
    // A body where none is expected, now and then: it must change nothing.
    return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constantFrom('{"a":1}', '[[[[', 'x=1').map((payload) => ({ payload, contentType: 'application/json' })) });
  }
  const valid = validValue(schema, ctx);
  const bad = invalidValue(schema, ctx);
  const jsonType = fc.constantFrom(...JSON_TYPES);
  type Body = { payload?: string; contentType?: string; invalid?: string };
  // Weighted so that most requests get past the parser and the schema, into the verbs.
  const forms: fc.WeightedArbitrary<Body>[] = [
    { weight: 8, arbitrary: fc.tuple(valid, jsonType).map(([v, contentType]) => ({ payload: JSON.stringify(v), contentType })) },
    { weight: 3, arbitrary: fc.tuple(valid.chain(rawBodies), jsonType).map(([payload, contentType]) => ({ payload, contentType })) },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...OTHER_TYPES)).map(([v, contentType]) => ({
        payload: contentType.includes('form-urlencoded') ? formEncoded(v) : JSON.stringify(v),
        contentType: contentType || undefined,
      })),
    },
    { weight: 1, arbitrary: fc.constantFrom(1_100_000, 70_000).map((n) => ({ payload: `{"a":"${'x'.repeat(n)}"}`, contentType: 'application/json' })) },
  ];
  if (bad) forms.push({ weight: 4, arbitrary: fc.tuple(bad, jsonType).map(([v, contentType]) => ({ payload: JSON.stringify(v), contentType, invalid: 'body' })) });
  return fc.oneof(...forms);
}

/** Requests for one route: its path, query and body from its schemas, valid or not, and odd headers. */
export function requestsFor(route: RouteSpec, ctx: RouteContext): fc.Arbitrary<FuzzRequest> {
  const path = fc.tuple(...route.pathParams.map((p) => pathValue(route, p.name, ctx).map((v) => ({ name: p.name, ...v }))));
  return fc
    .record({
      actor: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom<ActorName>('owner', 'owner', 'responder', 'apiToken') },
        { weight: 2, arbitrary: fc.constantFrom<ActorName>('viewer', 'anonymous', 'ingestToken', 'forged') },
      ),
      path,
      query: queryPart(route, ctx),
      body: bodyPart(route, ctx),
      accept: ACCEPT,
      acceptEncoding: ACCEPT_ENCODING,
      ifNoneMatch: IF_NONE_MATCH,
      idempotencyKey: IDEMPOTENCY_KEY,
      ifModifiedSince: IF_MODIFIED_SINCE,
      cookie: COOKIE,
      // HEAD is every GET route's twin (Fastify answers it from the GET handler).
      head: route.method === 'GET' ? fc.constantFrom(false, false, false, true) : fc.constant(false),
    })
    .map(({ actor, path: params, query, body, accept, acceptEncoding, ifNoneMatch, idempotencyKey, ifModifiedSince, cookie, head }) => {
      let url = route.path;
      for (const p of params) url = url.replace(`{${p.name}}`, p.value);
      const headers: Record<string, string> = {};
      if (accept !== undefined) headers.accept = accept;
      if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
      if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
      if (idempotencyKey !== undefined && route.method !== 'GET') headers['idempotency-key'] = idempotencyKey;
      if (ifModifiedSince !== undefined) headers['if-modified-since'] = ifModifiedSince;
      if (cookie !== undefined) headers.cookie = cookie;
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      const invalid = params.find((p) => p.invalid)?.invalid ?? query.invalid ?? body.invalid;
      return { actor, method: head ? 'HEAD' : route.method, url: url + query.query, headers, payload: body.payload, surelyInvalid: invalid };
    });
}

export const isUuid = (s: string) => UUID.test(s);
