import { describe, expect, it } from '@jest/globals';
import { navigationFor } from './navigation.js';

describe('main navigation', () => {
  it('offers visitors the directory, sign-in and registration, and no staff pages', () => {
    const hrefs = navigationFor(null, '/', 'zh-CN').map((item) => item.href);
    expect(hrefs).toEqual(['/', '/directory', '/conventions', '/sign-in', '/register']);
  });

  it('shows staff the review queue, members, invoices and audit trail', () => {
    const hrefs = navigationFor('staff_reviewer', '/', 'en').map((item) => item.href);
    expect(hrefs).toEqual(
      expect.arrayContaining([
        '/staff/applications',
        '/staff/members',
        '/staff/invoices',
        '/staff/audit',
      ]),
    );
    expect(hrefs).not.toContain('/staff/tiers');
    expect(hrefs).not.toContain('/firm');
  });

  it('shows firm users their portal and never staff pages', () => {
    const hrefs = navigationFor('firm_member', '/', 'en').map((item) => item.href);
    expect(hrefs).toContain('/firm');
    expect(hrefs.some((href) => href.startsWith('/staff'))).toBe(false);
    expect(hrefs).not.toContain('/firm/application');
  });

  it('marks the most specific section as current', () => {
    const items = navigationFor('firm_admin', '/firm/invoices/abc', 'zh-CN');
    expect(items.filter((item) => item.current).map((item) => item.href)).toEqual([
      '/firm/invoices',
    ]);
  });
});
