import { describe, expect, it } from 'vitest';
import { navFor } from '../../../src/surfaces/console/nav.js';

describe('the console navigation bar', () => {
  it('shows a viewer only what a viewer may open', () => {
    expect(navFor({ role: 'viewer' }, '/admin').map((l) => l.label)).toEqual(['Now', 'Components', 'Maintenance', 'Templates', 'Reports']);
    expect(navFor({ role: 'responder' }, '/admin').map((l) => l.label)).toContain('Declare incident');
  });

  it("shows the owner's screens to an owner alone", () => {
    const everyone = ['Components', 'Maintenance', 'Templates', 'Reports'];
    const owners = ['Now', 'Declare incident', ...everyone, 'Subscribers', 'Webhooks', 'Chat channels', 'Users and tokens', 'Audit log', 'Page settings'];
    expect(navFor({ role: 'owner' }, '/admin').map((l) => l.label)).toEqual(owners);
    expect(navFor({ role: 'responder' }, '/admin').map((l) => l.label)).toEqual(['Now', 'Declare incident', ...everyone]);
    expect(navFor({ role: 'owner' }, '/admin/users/tokens/x/revoke').filter((l) => l.current).map((l) => l.label)).toEqual(['Users and tokens']);
  });

  it('marks the screen the path is on, and a screen below it', () => {
    const items = navFor({ role: 'owner' }, '/admin/incidents/new');
    expect(items.filter((l) => l.current).map((l) => l.label)).toEqual(['Declare incident']);
    expect(navFor({ role: 'owner' }, '/admin').filter((l) => l.current).map((l) => l.label)).toEqual(['Now']);
    // An incident's own page belongs to no link of the bar: nothing is marked.
    expect(navFor({ role: 'owner' }, '/admin/incidents/abc').filter((l) => l.current)).toEqual([]);
    expect(navFor({ role: 'viewer' }, '/admin/components/groups/abc/edit').filter((l) => l.current).map((l) => l.label)).toEqual(['Components']);
  });
});
