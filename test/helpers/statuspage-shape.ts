import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'fixtures', 'statuspage-v2');

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(dir, name), 'utf8'));
}

export const ENUMS = fixture('enums.json') as Record<string, string[]>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Differences between our document and the fixture's: keys missing or extra, types that differ
 * (`null` on either side stands for "nullable"). Arrays are compared element by element with
 * the fixture element of the same kind (a group row against a group row).
 */
export function shapeDifferences(ours: Json, reference: Json, path = '$'): string[] {
  if (ours === null || reference === null) return [];
  if (Array.isArray(reference)) {
    if (!Array.isArray(ours)) return [`${path}: expected an array`];
    if (reference.length === 0) return [];
    return ours.flatMap((item, i) => shapeDifferences(item, pickLike(item, reference), `${path}[${i}]`));
  }
  if (typeof reference === 'object') {
    if (typeof ours !== 'object' || Array.isArray(ours)) return [`${path}: expected an object`];
    const missing = Object.keys(reference).filter((k) => !(k in ours)).map((k) => `${path}.${k}: missing`);
    const extra = Object.keys(ours).filter((k) => !(k in reference)).map((k) => `${path}.${k}: not in Statuspage's shape`);
    const nested = Object.keys(reference)
      .filter((k) => k in ours)
      .flatMap((k) => shapeDifferences(ours[k]!, reference[k]!, `${path}.${k}`));
    return [...missing, ...extra, ...nested];
  }
  return typeof ours === typeof reference ? [] : [`${path}: ${typeof ours}, Statuspage sends ${typeof reference}`];
}

function pickLike(item: Json, candidates: Json[]): Json {
  if (item && typeof item === 'object' && !Array.isArray(item) && 'group' in item) {
    return candidates.find((c) => c && typeof c === 'object' && !Array.isArray(c) && c.group === item.group) ?? candidates[0]!;
  }
  return candidates[0]!;
}
