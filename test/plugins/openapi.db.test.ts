import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import request from 'supertest';
import { describe, expect } from 'vitest';
import { test } from '../helpers/fixtures.js';

/**
 * /docs/json is what client generators, API gateways and validators read: it must be a valid
 * OpenAPI document by the two validators most of them use, and each operation must carry what
 * a generated client is named and documented by.
 */
type Operation = { summary?: string; operationId?: string; responses: Record<string, unknown> };
type Document = { openapi: string; servers?: { url: string }[]; paths: Record<string, Record<string, Operation>> };

let doc: Document;
test.beforeAll(async ({ app }) => {
  doc = (await request(app.server).get('/docs/json').expect(200)).body as Document;
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })));

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1 and passes swagger-parser’s validation', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  test('passes Redocly’s recommended lint rules with no error and no warning', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  test('names the server it is served from', () => {
    expect(doc.servers).toEqual([{ url: 'https://status.example.test' }]);
  });

  test('gives every operation a summary, a unique operationId, a success and a client-error answer', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(60);
    for (const { at, op } of ops) {
      expect(op.summary, at).toMatch(/\S/);
      expect(op.operationId, at).toMatch(/^[a-z][A-Za-z]+$/);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith('2')), at).toBe(true);
      expect(statuses.some((s) => s.startsWith('4')), at).toBe(true);
    }
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('documents a page as HTML, a badge as SVG and a feed as Atom, their refusals as JSON', () => {
    const content = (path: string, status: string) => Object.keys((doc.paths[path]!.get!.responses[status] as { content: object }).content);
    expect(content('/', '200')).toEqual(['text/html']);
    expect(content('/badge.svg', '200')).toEqual(['image/svg+xml']);
    expect(content('/feed.atom', '200')).toEqual(['application/atom+xml']);
    expect(content('/', '4XX')).toEqual(['application/json']);
  });
});
