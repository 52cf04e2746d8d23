import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalidValue, rawBodies, validValue, type SchemaNode } from './generators.js';

/** The generators are the fuzzer's oracle: a "surely invalid" value that is valid would fail it falsely. */
const schema: SchemaNode = {
  type: 'object',
  required: ['name', 'position'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 20 },
    position: { type: 'integer', minimum: 0, maximum: 1000 },
    severity: { type: 'string', enum: ['P0', 'P1'] },
    id: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
    at: { type: 'string', format: 'date-time' },
  },
};
const ctx = { knownIds: ['3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60'] };

function valid(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  if (Object.keys(o).some((k) => !Object.hasOwn(schema.properties!, k))) return false;
  // Lengths in code points, as ajv counts them.
  if (typeof o.name !== 'string' || [...o.name].length < 1 || [...o.name].length > 20) return false;
  if (!Number.isInteger(o.position) || (o.position as number) < 0 || (o.position as number) > 1000) return false;
  if ('severity' in o && !['P0', 'P1'].includes(o.severity as string)) return false;
  if ('id' in o && !new RegExp(schema.properties!.id!.pattern!).test(String(o.id))) return false;
  return !('at' in o) || (typeof o.at === 'string' && realDateTime(o.at));
}

/** As ajv's date-time format: four-digit year, an explicit zone, parseable, and a day the month has (Date.parse takes 30 February). */
function realDateTime(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

describe('schema generators', () => {
  it('valid values satisfy the schema', () => {
    fc.assert(fc.property(validValue(schema, ctx), (v) => valid(v)), { seed: 1, numRuns: 300 });
  });

  it('surely invalid values do not', () => {
    fc.assert(fc.property(invalidValue(schema, ctx)!, (v) => !valid(v)), { seed: 1, numRuns: 300 });
  });

  it('writes date-times in other zones as the same instant', () => {
    fc.assert(
      fc.property(validValue({ type: 'string', format: 'date-time' }, ctx), (s) => {
        expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('raw bodies are text, some of it not JSON', () => {
    const samples = fc.sample(rawBodies({ name: 'a', position: 1 }), { seed: 1, numRuns: 200 });
    expect(samples.every((s) => typeof s === 'string')).toBe(true);
    expect(samples.some((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    })).toBe(true);
  });
});
