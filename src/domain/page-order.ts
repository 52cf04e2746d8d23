/**
 * The order in which the status page lists components: group by group (in the groups' order),
 * then the components in no group. Lists of affected components follow it everywhere (page,
 * Statuspage API, mail), so a reader finds them in the order they know from the page.
 * Both inputs come already sorted by their own positions.
 */
export function inPageOrder<C extends { id: string; groupId: string | null }>(
  components: readonly C[],
  groups: readonly { id: string }[],
): C[] {
  const groupIndex = new Map(groups.map((g, index) => [g.id, index]));
  const rank = (c: C) => (c.groupId !== null && groupIndex.has(c.groupId) ? groupIndex.get(c.groupId)! : groups.length);
  // Array.prototype.sort is stable: within a group the given order stands.
  return [...components].sort((a, b) => rank(a) - rank(b));
}

/** Each component's place on the page, for sorting lists that name components by id. */
export function pagePositions(components: readonly { id: string; groupId: string | null }[], groups: readonly { id: string }[]) {
  return new Map(inPageOrder(components, groups).map((c, index) => [c.id, index]));
}

/**
 * Moving one item of a list a place up or down, as new positions: the whole list is numbered
 * again from 0, since positions may tie (every component starts at 0 and ties sort by name),
 * and only the items whose position changes are returned. Nothing moves past either end.
 */
export function movedPositions(
  items: readonly { id: string; position: number }[],
  id: string,
  direction: 'up' | 'down',
): { id: string; position: number }[] {
  const order = items.map((item) => item.id);
  const at = order.indexOf(id);
  const to = direction === 'up' ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= order.length) return [];
  [order[at], order[to]] = [order[to]!, order[at]!];
  const before = new Map(items.map((item) => [item.id, item.position]));
  return order.map((itemId, position) => ({ id: itemId, position })).filter((item) => before.get(item.id) !== item.position);
}
