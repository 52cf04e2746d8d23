import { describe, expect } from 'vitest';
import { Errors } from '../../../src/core/errors.js';
import { createComponent, createGroup, updateComponent, updateGroup } from '../../../src/modules/components/components.service.js';
import { listComponents, listGroups } from '../../../src/modules/components/index.js';
import { auditLog } from '../../../src/db/schema/index.js';
import type { TestApp } from '../../helpers/app.js';
import { actingAs } from '../../helpers/context.js';
import type { TestUser } from '../../helpers/factories.js';
import { test } from '../../helpers/fixtures.js';

/**
 * A console form's version is checked by the verb, on the row it has locked, inside its
 * transaction: a refusal there changes nothing, and two saves of one form version cannot both
 * pass (the check and the write are one step for other writers).
 */
let t: TestApp;
let owner: TestUser;
test.beforeAll(({ testApp, owner: o }) => {
  t = testApp;
  owner = o;
});

const refuse = () => {
  throw new Errors.preconditionFailed('It was changed by someone else since the form was opened');
};
const audits = async () => (await t.app.db.select().from(auditLog)).length;

describe('a write with a precondition', () => {
  test('a component: the check sees the row as locked, and a refusal leaves it, its history and the audit as they were', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const component = await createComponent(ctx, { name: 'API' });
    await updateComponent(ctx, component.id, { name: 'API v2' });
    const before = await audits();
    let seen: string | undefined;
    await expect(
      updateComponent(ctx, component.id, { name: 'Lost rename', status: 'major_outage' }, (row) => {
        seen = row.name;
        refuse();
      }),
    ).rejects.toMatchObject({ statusCode: 412 });
    expect(seen).toBe('API v2');
    const [row] = (await listComponents(t.app.db)).filter((c) => c.id === component.id);
    expect(row).toMatchObject({ name: 'API v2', status: 'operational' });
    expect(await audits()).toBe(before);
  });

  test('a group: the same', async () => {
    const ctx = actingAs(t.app, owner.actor);
    const group = await createGroup(ctx, { name: 'Region' });
    const before = await audits();
    await expect(updateGroup(ctx, group.id, { name: 'Lost rename' }, refuse)).rejects.toMatchObject({ statusCode: 412 });
    expect((await listGroups(t.app.db)).find((g) => g.id === group.id)?.name).toBe('Region');
    expect(await audits()).toBe(before);
  });
});
