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
