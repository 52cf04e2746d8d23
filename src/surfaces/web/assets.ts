import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { compress, type Rendered } from '../render-cache/render-cache.js';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface Asset {
  name: string;
  /** `/style.css?v=<hash>`: a URL that changes when the file does, so it can be cached forever. */
  versionedUrl: string;
  version: string;
  rendered: Rendered;
}

/**
 * The files in public/, read and compressed once at start: there are few and they are small.
 * `now` (the app's clock at start) is their Last-Modified.
 */
export function loadAssets(dir: string, now: Date): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    assets.set(name, {
      name,
      version,
      versionedUrl: `/${name}?v=${version}`,
      rendered: compress({ contentType: type, body }, 0, now.getTime()),
    });
  }
  return assets;
}
