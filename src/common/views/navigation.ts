import type { Role } from '../auth/roles.js';
import { translate, type Locale } from '../i18n/i18n.js';

/** Who sees a navigation entry: everyone, visitors only, any signed-in user, or some roles. */
type Audience = 'all' | 'anonymous' | 'signed-in' | Role[];

interface NavEntry {
  href: string;
  key: string;
  audience: Audience;
}

const STAFF: Role[] = ['staff_admin', 'staff_reviewer'];
const FIRM: Role[] = ['firm_admin', 'firm_member'];

/** The main menu, in display order. A new module adds its pages here. */
const ENTRIES: NavEntry[] = [
  { href: '/', key: 'nav.home', audience: 'all' },
  { href: '/firm', key: 'nav.firm', audience: FIRM },
  { href: '/firm/application', key: 'nav.firmApplication', audience: ['firm_admin'] },
  { href: '/firm/invoices', key: 'nav.firmInvoices', audience: FIRM },
  { href: '/firm/pledge', key: 'nav.firmPledge', audience: FIRM },
  { href: '/firm/ratings', key: 'nav.firmRatings', audience: FIRM },
  { href: '/firm/certificates', key: 'nav.firmCertificates', audience: FIRM },
  { href: '/staff/applications', key: 'nav.staffApplications', audience: STAFF },
  { href: '/staff/members', key: 'nav.staffMembers', audience: STAFF },
  { href: '/staff/invoices', key: 'nav.staffInvoices', audience: STAFF },
  { href: '/staff/tiers', key: 'nav.staffTiers', audience: ['staff_admin'] },
  { href: '/staff/conventions', key: 'nav.staffConventions', audience: ['staff_admin'] },
  { href: '/staff/pledges', key: 'nav.staffPledges', audience: STAFF },
  { href: '/disputes', key: 'nav.myComplaints', audience: ['complainant'] },
  { href: '/firm/disputes', key: 'nav.firmDisputes', audience: FIRM },
  { href: '/mediator/cases', key: 'nav.mediatorCases', audience: ['mediator'] },
  { href: '/mediator/pool', key: 'nav.mediatorPool', audience: ['mediator'] },
  { href: '/mediator/profile', key: 'nav.mediatorProfile', audience: ['mediator'] },
  { href: '/staff/disputes', key: 'nav.staffDisputes', audience: STAFF },
  { href: '/staff/disputes/dashboard', key: 'nav.staffDisputesDashboard', audience: STAFF },
  { href: '/staff/mediators', key: 'nav.staffMediators', audience: STAFF },
  { href: '/staff/ratings', key: 'nav.staffRatings', audience: STAFF },
  { href: '/staff/ratings/reviews', key: 'nav.staffRatingReviews', audience: STAFF },
  { href: '/staff/certificates', key: 'nav.staffCertificates', audience: STAFF },
  { href: '/staff/audit', key: 'nav.audit', audience: STAFF },
  { href: '/directory', key: 'nav.directory', audience: 'all' },
  { href: '/conventions', key: 'nav.conventions', audience: 'all' },
  { href: '/notifications', key: 'nav.notifications', audience: 'signed-in' },
  { href: '/account', key: 'nav.account', audience: 'signed-in' },
  { href: '/sign-in', key: 'nav.signIn', audience: 'anonymous' },
  { href: '/register', key: 'nav.register', audience: 'anonymous' },
];

export interface NavItem {
  href: string;
  label: string;
  current: boolean;
}

function visible(audience: Audience, role: Role | null): boolean {
  if (audience === 'all') return true;
  if (audience === 'anonymous') return role === null;
  if (audience === 'signed-in') return role !== null;
  return role !== null && audience.includes(role);
}

/** The menu for a caller on `path`; the entry whose section contains `path` is current. */
export function navigationFor(role: Role | null, path: string, locale: Locale): NavItem[] {
  const items = ENTRIES.filter((entry) => visible(entry.audience, role));
  // The longest matching prefix wins, so /firm/invoices is current there and /firm is not.
  const current = items
    .filter((entry) =>
      entry.href === '/' ? path === '/' : path === entry.href || path.startsWith(`${entry.href}/`),
    )
    .sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((entry) => ({
    href: entry.href,
    label: translate(locale, entry.key),
    current: entry === current,
  }));
}
