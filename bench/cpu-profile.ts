/**
 * Reads `.cpuprofile` files (what `node --cpu-prof` writes) and says where the busy time went: the
 * functions with the most self time, and the share of each package. Idle time is left out of
 * the shares, so they are shares of the time the process was working.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyMs: number;
  functions: { name: string; share: number }[];
  packages: { name: string; share: number }[];
}

const NOT_BUSY = new Set(['(idle)']);

/** `node_modules/@fastify/helmet/index.js` → `@fastify/helmet`; our own code by its folder. */
function packageOf(url: string): string {
  if (!url) return '(native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return 'node';
  const own = /\/(src|bench|test)\/(.*?)[^/]*$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/').slice(-2).join('/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/** Several profiles (one per run) read as one. */
export function summarizeProfiles(files: string[], top = 15): ProfileSummary {
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    // Each sample's time is the delta to the next one: self time is what a node's samples add up to.
    const selfMicros = new Map<number, number>();
    profile.samples.forEach((id, index) => {
      selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index + 1] ?? 0));
    });
    for (const [id, micros] of selfMicros) {
      const node = byId.get(id)!;
      if (NOT_BUSY.has(node.callFrame.functionName)) continue;
      busy += micros;
      const name = frameName(node);
      functions.set(name, (functions.get(name) ?? 0) + micros);
      const pkg = node.callFrame.url ? packageOf(node.callFrame.url) : node.callFrame.functionName;
      packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
    }
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: micros / busy }));
  return { busyMs: busy / 1000, functions: ranked(functions), packages: ranked(packages) };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  return [
    `busy ${Math.round(summary.busyMs)} ms`,
    'self time by function:',
    ...summary.functions.map((f) => `  ${percent(f.share)}  ${f.name}`),
    'self time by package:',
    ...summary.packages.map((p) => `  ${percent(p.share)}  ${p.name}`),
  ].join('\n');
}
