/** Statuspage's components: ours, and our groups as components that list their members. */
import type { SiteNow } from '../core/site.js';
import type { ComponentRow } from '../db/rows.js';
import { worstStatus } from '../domain/status.js';
import { isoInZone } from '../text/zoned-iso.js';
import { pageIdFor, type V2Data } from './page.js';
import type { V2ComponentView } from './schemas.js';

export function componentRow(c: ComponentRow, ctx: SiteNow, pageId: string): V2ComponentView {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: isoInZone(c.createdAt, ctx.timeZone),
    updated_at: isoInZone(c.updatedAt, ctx.timeZone),
    position: c.position,
    description: c.description === '' ? null : c.description,
    showcase: c.showcase,
    start_date: isoInZone(c.createdAt, ctx.timeZone).slice(0, 10),
    group_id: c.groupId,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  };
}

/** Groups appear as components with `group: true` and their members' ids, each followed by its members. */
export function v2Components(data: V2Data, ctx: SiteNow): V2ComponentView[] {
  const pageId = pageIdFor(ctx.publicUrl);
  const groupIds = new Set(data.groups.map((g) => g.id));
  const rows: V2ComponentView[] = [];
  for (const g of data.groups) {
    const members = data.components.filter((c) => c.groupId === g.id);
    if (members.length === 0) continue;
    rows.push({
      id: g.id,
      name: g.name,
      status: worstStatus(members.map((m) => m.status)),
      created_at: isoInZone(g.createdAt, ctx.timeZone),
      updated_at: isoInZone(g.updatedAt, ctx.timeZone),
      position: g.position,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: pageId,
      group: true,
      only_show_if_degraded: false,
      components: members.map((m) => m.id),
    });
    rows.push(...members.map((m) => componentRow(m, ctx, pageId)));
  }
  rows.push(...data.components.filter((c) => !c.groupId || !groupIds.has(c.groupId)).map((c) => componentRow(c, ctx, pageId)));
  return rows;
}
