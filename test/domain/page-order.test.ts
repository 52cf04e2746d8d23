import { describe, expect, it } from 'vitest';
import { inPageOrder, pagePositions } from '../../src/domain/page-order.js';

const c = (id: string, groupId: string | null = null) => ({ id, groupId });

describe('inPageOrder', () => {
  it('lists group by group in the groups’ order, then the components in no group', () => {
    const components = [c('loose'), c('eu', 'regions'), c('api', 'core'), c('us', 'regions'), c('web', 'core')];
    const groups = [{ id: 'core' }, { id: 'regions' }];
    expect(inPageOrder(components, groups).map((x) => x.id)).toEqual(['api', 'web', 'eu', 'us', 'loose']);
  });

  it('keeps the given order within a group, and puts a component of an unknown group with the loose ones', () => {
    const components = [c('b', 'g'), c('orphan', 'gone'), c('a', 'g'), c('loose')];
    expect(inPageOrder(components, [{ id: 'g' }]).map((x) => x.id)).toEqual(['b', 'a', 'orphan', 'loose']);
  });

  it('gives each component its place for sorting by id', () => {
    const positions = pagePositions([c('x'), c('y', 'g')], [{ id: 'g' }]);
    expect([...positions]).toEqual([
      ['y', 0],
      ['x', 1],
    ]);
  });
});
