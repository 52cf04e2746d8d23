/**
 * The import rules of src/ (README, "Layout"): imports run one way, from the surfaces through
 * the modules down to core and domain, and a module is entered only through its index.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, 'src');

/** Each layer and what it may import besides itself. Entry points may import every layer. */
const ALLOWED = {
  text: [],
  domain: ['text'],
  core: ['domain', 'text'],
  db: ['core', 'domain', 'text'],
  http: ['core', 'domain', 'text', 'db'],
  // The message catalogues and their formatting: words and dates, nothing that does I/O.
  i18n: ['domain', 'text'],
  plugins: ['core', 'domain', 'text', 'db', 'http', 'i18n'],
  infra: ['core', 'domain', 'text', 'db', 'http', 'plugins', 'i18n'],
  modules: ['core', 'domain', 'text', 'db', 'http', 'plugins', 'infra', 'i18n'],
  surfaces: ['core', 'domain', 'text', 'db', 'http', 'plugins', 'infra', 'modules', 'i18n'],
  entry: ['core', 'domain', 'text', 'db', 'http', 'plugins', 'infra', 'modules', 'surfaces', 'i18n'],
};

const BASE_FILES = new Set(['config.ts', 'paths.ts', 'files.ts', 'secrets.ts']);

/** Where a file under src/ sits: its layer, and for modules which one. */
function place(file) {
  const parts = relative(SRC, file).split('/');
  const [top, second] = parts;
  if (parts.length === 1) return { layer: BASE_FILES.has(top.replace(/\.js$/, '.ts')) ? 'core' : 'entry' };
  if (top === 'notifications' || top === 'statuspage' || top === 'jobs') return { layer: 'infra' };
  if (top === 'modules') return { layer: 'modules', module: parts.length > 2 ? second : undefined };
  if (top === 'seed') return { layer: 'entry' };
  return { layer: top in ALLOWED ? top : 'entry' };
}

/** Which modules each module imports, read from the files on disk once per lint run. */
let moduleGraph;
function modulesImportedBy() {
  if (moduleGraph) return moduleGraph;
  moduleGraph = new Map();
  const root = join(SRC, 'modules');
  for (const name of readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const targets = new Set();
    const files = readdirSync(join(root, name), { recursive: true }).filter((f) => String(f).endsWith('.ts'));
    for (const file of files) {
      const path = join(root, name, String(file));
      for (const [, spec] of readFileSync(path, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const to = place(resolve(dirname(path), spec));
        if (to.layer === 'modules' && to.module && to.module !== name) targets.add(to.module);
      }
    }
    moduleGraph.set(name, targets);
  }
  return moduleGraph;
}

/** Whether module `from` is reached again by following imports out of module `to`. */
function closesACycle(from, to) {
  const graph = modulesImportedBy();
  const seen = new Set();
  const stack = [to];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === from) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return false;
}

export const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports run one way (surfaces → modules → core and domain); modules are entered through index.ts' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    if (!file.startsWith(SRC)) return {};
    const from = place(file);
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) return;
      const to = place(target);
      if (to.layer === 'modules' && to.module) {
        if (from.module === to.module) return;
        if (!/\/modules\/[^/]+\/index\.js$/.test(target)) {
          context.report({ node, message: `Import module "${to.module}" through its index.ts, not ${spec}` });
          return;
        }
        if (from.layer === 'modules' && from.module && closesACycle(from.module, to.module)) {
          context.report({ node, message: `Modules "${from.module}" and "${to.module}" import each other: one of them belongs lower down` });
          return;
        }
        if (from.layer === 'modules' || ALLOWED[from.layer].includes('modules')) return;
      }
      if (from.layer === to.layer) return;
      if (!ALLOWED[from.layer].includes(to.layer)) {
        context.report({ node, message: `${from.layer} must not import ${to.layer} (${spec}): imports run one way` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
