import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLanguage, type Language } from '../../domain/languages.js';
import { keyIn } from '../../i18n/page-language.js';
import type { RenderCache } from './render-cache.js';
import type { Rendered } from './rendered.js';
import { answerFor, bodyIn, headerSets, type CachePolicy, type Encoding } from './send-rendered.js';

/** A public URL that may be answered before routing, and how. */
export interface DirectRoute {
  /** The render-cache key its route serves it from (in the page's default language). */
  key: string;
  /** Whether `?lang=` picks another language's render, as the route's own `?lang=` does. */
  languages: boolean;
  /** Headers the route's own hooks add to its answers (CORS), besides the app's and the render's. */
  headers?: Readonly<Record<string, string>>;
}

/** What the direct answers read from the rest of the app, once it is built. */
export interface DirectSource {
  cache: RenderCache;
  policy: CachePolicy;
  defaultLanguage: () => Language;
  /** False while requests must go through the app (the embedded database has died: every answer is its 503). */
  available: () => boolean;
}

/** The status line's headers as one flat list, ready for `writeHead`: built once per render, route and encoding. */
type HeaderList = (string | number)[];

interface Lists {
  full: HeaderList;
  notModified: HeaderList;
}

interface Registered {
  key: string;
  languages: boolean;
  /** Every header besides the render's: the app's own on every answer, then the route's. */
  headers: Readonly<Record<string, string>>;
  lists: WeakMap<Rendered, Record<Encoding, Lists>>;
}

const LANG_QUERY = /^lang=([a-z]{2})$/;

/**
 * The answers a spike is made of (`/`, the feeds, the badge, the Statuspage JSON) sent straight
 * from the render cache, before the framework routes the request: when the current render is in
 * memory there is nothing left to decide but the encoding and whether the client already has it,
 * and the framework's routing, request and reply objects and hooks were most of what such an
 * answer cost. Only a request that is exactly one of the registered URLs (with, where the route
 * takes it, a known `?lang=`), a GET with no body, whose render is current, is answered here;
 * everything else — a stale or missing render, another query, HEAD, a failing database — goes to
 * the app, which renders and answers as always. The bytes and headers are the app's own: the
 * same render, the same header sets and the same headers its hooks would add (tested against it).
 */
export class DirectAnswers {
  private readonly routes = new Map<string, Registered>();
  private source: DirectSource | undefined;
  /** Answers sent here, for /metrics. */
  answered = 0;

  /** `appHeaders`: what the app's hooks set on every answer (the security headers). */
  constructor(private readonly appHeaders: Readonly<Record<string, string>>) {}

  /** Called once the render cache exists; until then every request goes to the app. */
  serveFrom(source: DirectSource): void {
    this.source = source;
  }

  add(path: string, route: DirectRoute): void {
    this.routes.set(path, { key: route.key, languages: route.languages, headers: { ...this.appHeaders, ...route.headers }, lists: new WeakMap() });
  }

  /** Answers `request` and says true, or leaves it untouched and says false. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const source = this.source;
    if (!source || request.method !== 'GET' || !request.url) return false;
    // A request with a body is the app's to read (and to refuse).
    if (request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined) return false;
    const url = request.url;
    const mark = url.indexOf('?');
    const route = this.routes.get(mark < 0 ? url : url.slice(0, mark));
    if (!route || !source.available()) return false;
    const defaultLanguage = source.defaultLanguage();
    let lang = defaultLanguage;
    if (mark >= 0) {
      const asked = route.languages ? LANG_QUERY.exec(url.slice(mark + 1))?.[1] : undefined;
      if (asked === undefined || !isLanguage(asked)) return false;
      lang = asked;
    }
    const rendered = source.cache.fresh(keyIn(route.key, lang, defaultLanguage));
    if (!rendered) return false;
    const answer = answerFor(request.headers, rendered);
    const lists = this.listsFor(route, rendered, source.policy)[answer.encoding];
    this.answered += 1;
    if (answer.notModified) {
      response.writeHead(304, lists.notModified);
      response.end();
    } else {
      response.writeHead(rendered.status, lists.full);
      response.end(bodyIn(rendered, answer.encoding));
    }
    return true;
  }

  private listsFor(route: Registered, rendered: Rendered, policy: CachePolicy): Record<Encoding, Lists> {
    let lists = route.lists.get(rendered);
    if (!lists) {
      const sets = headerSets(rendered, policy);
      const flat = (headers: Readonly<Record<string, string>>, length?: number): HeaderList => [
        ...Object.entries({ ...route.headers, ...headers }).flat(),
        ...(length === undefined ? [] : ['content-length', length]),
      ];
      const of = (encoding: Encoding): Lists => ({
        full: flat(sets[encoding].full, bodyIn(rendered, encoding).length),
        notModified: flat(sets[encoding].notModified),
      });
      lists = { br: of('br'), gzip: of('gzip'), identity: of('identity') };
      route.lists.set(rendered, lists);
    }
    return lists;
  }
}
