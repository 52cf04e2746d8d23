import { describe, expect, it } from 'vitest';
import { inPageOrder, movedPositions, pagePositions } from '../../src/domain/page-order.js';

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

describe('movedPositions', () => {
  const p = (id: string, position: number) => ({ id, position });

  it('swaps with the neighbour and numbers ties again, returning only what changes', () => {
    // Every component starts at position 0: moving one must still move it.
    expect(movedPositions([p('a', 0), p('b', 0), p('c', 0)], 'c', 'up')).toEqual([p('c', 1), p('b', 2)]);
    expect(movedPositions([p('a', 0), p('b', 1), p('c', 2)], 'a', 'down')).toEqual([p('b', 0), p('a', 1)]);
  });

  it('moves nothing past either end, nor an unknown item', () => {
    expect(movedPositions([p('a', 0), p('b', 1)], 'a', 'up')).toEqual([]);
    expect(movedPositions([p('a', 0), p('b', 1)], 'b', 'down')).toEqual([]);
    expect(movedPositions([p('a', 0)], 'zz', 'up')).toEqual([]);
  });
});
