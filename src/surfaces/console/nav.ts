import { roleAtLeast, type Role } from '../../domain/vocabulary.js';

/** One link of the console's navigation bar, shown to `role` and above. */
interface NavLink {
  label: string;
  href: string;
  role: Role;
}

/**
 * The console's screens, in the order of the navigation bar. A screen joins the bar here, not in
 * the layout, so adding one touches one line; roles decide what each user is shown, and each
 * screen's routes check the role again.
 */
const NAV: readonly NavLink[] = [
  { label: 'Now', href: '/admin', role: 'viewer' },
  { label: 'Declare incident', href: '/admin/incidents/new', role: 'responder' },
  { label: 'Components', href: '/admin/components', role: 'viewer' },
  { label: 'Maintenance', href: '/admin/maintenance', role: 'viewer' },
  { label: 'Templates', href: '/admin/templates', role: 'viewer' },
  { label: 'Reports', href: '/admin/reports', role: 'viewer' },
  { label: 'Subscribers', href: '/admin/subscribers', role: 'owner' },
  { label: 'Webhooks', href: '/admin/webhooks', role: 'owner' },
  { label: 'Chat channels', href: '/admin/chat-channels', role: 'owner' },
  { label: 'Users and tokens', href: '/admin/users', role: 'owner' },
  { label: 'Audit log', href: '/admin/audit', role: 'owner' },
  { label: 'Page settings', href: '/admin/settings', role: 'owner' },
];

export interface NavItem {
  label: string;
  href: string;
  current: boolean;
}

/** The links `actor` may follow; the screen `path` is on (the longest matching link) is marked current. */
export function navFor(actor: { role: Role }, path: string): NavItem[] {
  const matches = (href: string) => path === href || (href !== '/admin' && path.startsWith(`${href}/`));
  const current = NAV.filter((l) => matches(l.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return NAV.filter((l) => roleAtLeast(actor.role, l.role)).map((l) => ({ label: l.label, href: l.href, current: l.href === current }));
}
