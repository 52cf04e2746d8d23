import { describe, expect, it } from 'vitest';
import { auditChanges, auditRows } from '../../../src/surfaces/console/audit-model.js';

describe('auditChanges', () => {
  it('lists only the fields an update changed', () => {
    expect(auditChanges({ name: 'A', role: 'viewer', id: 1 }, { name: 'A', role: 'owner', id: 1 })).toEqual([{ field: 'role', before: '"viewer"', after: '"owner"' }]);
  });

  it('lists every field of a creation or a deletion', () => {
    expect(auditChanges(null, { name: 'A', tags: ['x'] })).toEqual([
      { field: 'name', before: '', after: '"A"' },
      { field: 'tags', before: '', after: '["x"]' },
    ]);
    expect(auditChanges({ url: 'u' }, null)).toEqual([{ field: 'url', before: '"u"', after: '' }]);
  });

  it('shows a value that is not an object whole, and nothing when nothing changed', () => {
    expect(auditChanges([1], [2])).toEqual([{ field: '', before: '[1]', after: '[2]' }]);
    expect(auditChanges(null, null)).toEqual([]);
  });
});

describe('auditRows', () => {
  it('names the actor, the token, the object, and reads the time in the page zone', () => {
    const [row] = auditRows(
      [{ id: '7', at: '2026-03-08T10:00:00.000Z', actor: null, tokenId: '3f0e9a5c-7b1d-4c2e-9f4a-1b2c3d4e5f60', action: 'x.y', objectType: 'incident', objectId: 'abc', before: null, after: null }],
      'America/Los_Angeles',
    );
    expect(row).toMatchObject({ who: 'system or a deleted user', viaToken: true, object: 'incident abc', changes: [], full: null });
    expect(row!.at.text).toBe('Mar 8, 2026, 03:00 PDT');
  });
});
