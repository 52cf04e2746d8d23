import { describe, expect, it } from 'vitest';
import { defaultScopeFor, scopeAllows, tokenRole, TOKEN_SCOPES, type TokenScope } from '../../src/domain/token-scopes.js';
import { roleAtLeast, ROLES } from '../../src/domain/vocabulary.js';

describe('scopeAllows', () => {
  const cases: Array<[TokenScope[], TokenScope, boolean]> = [
    [['read'], 'read', true],
    [['read'], 'write', false],
    [['read'], 'ingest', false],
    [['write'], 'read', true],
    [['write'], 'write', true],
    [['write'], 'ingest', false],
    [['ingest'], 'ingest', true],
    [['ingest'], 'read', false],
    [['ingest'], 'write', false],
    [['ingest', 'read'], 'read', true],
    [['ingest', 'read'], 'write', false],
    [[], 'read', false],
  ];
  it.each(cases)('%j needing %s → %s', (scopes, needed, allowed) => {
    expect(scopeAllows(scopes, needed)).toBe(allowed);
  });
});

describe('tokenRole', () => {
  it('write and ingest act as a responder, read as a viewer, when the creator is an owner', () => {
    expect(tokenRole(['write'], 'owner')).toBe('responder');
    expect(tokenRole(['read', 'write', 'ingest'], 'owner')).toBe('responder');
    expect(tokenRole(['ingest'], 'owner')).toBe('responder');
    expect(tokenRole(['read'], 'owner')).toBe('viewer');
  });

  it('is never more than the creator has now, and never owner', () => {
    expect(tokenRole(['write'], 'viewer')).toBe('viewer');
    expect(tokenRole(['ingest'], 'viewer')).toBe('viewer');
    expect(tokenRole(['write'], 'responder')).toBe('responder');
    for (const role of ROLES) {
      for (const scope of TOKEN_SCOPES) expect(tokenRole([scope], role)).not.toBe('owner');
    }
  });
});

describe('defaultScopeFor', () => {
  it('reads for GET and HEAD, writes for the rest', () => {
    expect(defaultScopeFor('GET')).toBe('read');
    expect(defaultScopeFor('HEAD')).toBe('read');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(defaultScopeFor(method)).toBe('write');
  });
});

describe('roleAtLeast (shared by route roles and token roles)', () => {
  it('orders viewer < responder < owner, each role including those below it', () => {
    expect(roleAtLeast('owner', 'responder')).toBe(true);
    expect(roleAtLeast('responder', 'responder')).toBe(true);
    expect(roleAtLeast('responder', 'owner')).toBe(false);
    expect(roleAtLeast('viewer', 'responder')).toBe(false);
    expect(roleAtLeast('viewer', 'viewer')).toBe(true);
  });
});
