import { describe, expect, it } from '@jest/globals';
import { isFirmRole, ROLES } from '../../common/auth/roles.js';
import { isValidCreditCode } from '../../modules/membership/credit-code.js';
import { isCalendarDate } from '../../common/time/beijing.js';
import { isCategory } from '../../modules/membership/categories.js';
import { DISTRICT_KEYS } from '../../modules/membership/districts.js';
import { parseYuanToFen } from '../../modules/membership/dues.js';
import { FIRM_STATUSES, TIER_CODES } from '../../modules/membership/entities/firm.entity.js';
import { passwordProblem } from '../../modules/users/password-policy.js';
import {
  DEMO_COMPLAINANTS,
  DEMO_FIRM_PEOPLE,
  DEMO_FIRMS,
  DEMO_MEDIATORS,
  DEMO_PASSWORDS,
  DEMO_REVIEWERS,
  DEMO_STAFF_ADMINS,
  demoCategories,
  demoCreditCode,
  demoFirmStatus,
  demoEmail,
  demoMemberCount,
} from './demo-data.js';

describe('demo data', () => {
  it('builds the same credit codes on every run', () => {
    expect(demoCreditCode(1)).toBe(demoCreditCode(1));
    expect(DEMO_FIRMS.map((_, i) => demoCreditCode(i + 1)).slice(0, 3)).toEqual([
      '91440300MA5F6PX58E',
      '91440300MA5GW188CL',
      '91440300MA5JJ9JBGE',
    ]);
  });

  it('builds valid, distinct Shenzhen credit codes', () => {
    const codes = Array.from({ length: 500 }, (_, i) => demoCreditCode(i + 1));
    for (const code of codes) {
      expect(isValidCreditCode(code)).toBe(true);
      expect(code.startsWith('91440300')).toBe(true);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('has firms in every district, with unique slugs that work as domain labels', () => {
    expect(new Set(DEMO_FIRMS.map((f) => f.district))).toEqual(new Set(DISTRICT_KEYS));
    const slugs = DEMO_FIRMS.map((f) => f.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it('has mostly active firms and at least two applicants', () => {
    const statuses = DEMO_FIRMS.map(demoFirmStatus);
    const applicants = statuses.filter((s) => s === 'applicant').length;
    expect(applicants).toBeGreaterThanOrEqual(2);
    expect(applicants).toBeLessThan(DEMO_FIRMS.length / 4);
    expect(statuses.filter((s) => s === 'active').length).toBeGreaterThan(DEMO_FIRMS.length / 2);
  });

  it('ends with firms in every status, applications at every stage and members of every tier', () => {
    expect(new Set(DEMO_FIRMS.map(demoFirmStatus))).toEqual(new Set(FIRM_STATUSES));
    const stages = DEMO_FIRMS.flatMap((f) =>
      f.journey.origin === 'applied' ? [f.journey.stage] : [],
    );
    expect(new Set(stages)).toEqual(
      new Set(['draft', 'submitted', 'under_review', 'changes_requested', 'rejected', 'approved']),
    );
    const activeTiers = DEMO_FIRMS.filter((f) => demoFirmStatus(f) === 'active').map(
      (f) => f.journey.tier,
    );
    expect(new Set(activeTiers)).toEqual(new Set(TIER_CODES));
  });

  it('has first invoices paid in full, in part and not at all', () => {
    const dues = DEMO_FIRMS.flatMap((f) =>
      f.journey.origin === 'applied' && f.journey.stage === 'approved' ? [f.journey.dues] : [],
    );
    expect(new Set(dues)).toEqual(new Set(['paid', 'partial', 'unpaid']));
  });

  it('imports members with dates that can be imported and registered facts that are valid', () => {
    for (const firm of DEMO_FIRMS) {
      if (firm.journey.origin === 'imported')
        expect(isCalendarDate(firm.journey.memberSince)).toBe(true);
      expect(isCalendarDate(firm.profile.establishedOn)).toBe(true);
      expect(parseYuanToFen(firm.profile.registeredCapital)).not.toBeNull();
      expect(demoCategories(firm.business).every(isCategory)).toBe(true);
    }
  });

  it('has a person for every firm admin and member', () => {
    const needed = DEMO_FIRMS.reduce((sum, _, i) => sum + 1 + demoMemberCount(i), 0);
    expect(DEMO_FIRM_PEOPLE.length).toBeGreaterThanOrEqual(needed);
    expect(new Set(DEMO_FIRM_PEOPLE.map((p) => p.login)).size).toBe(DEMO_FIRM_PEOPLE.length);
  });

  it('gives each role a password the password policy accepts for every account of that role', () => {
    const people: Record<string, Array<{ login: string; name: string }>> = {
      staff_admin: DEMO_STAFF_ADMINS,
      staff_reviewer: DEMO_REVIEWERS,
      mediator: DEMO_MEDIATORS,
      complainant: DEMO_COMPLAINANTS,
      firm_admin: [{ login: 'admin', name: '' }],
      firm_member: DEMO_FIRM_PEOPLE,
    };
    for (const role of ROLES) {
      for (const person of people[role]) {
        const email = demoEmail(person.login, isFirmRole(role) ? DEMO_FIRMS[0].slug : undefined);
        expect([role, passwordProblem(DEMO_PASSWORDS[role], { email, name: person.name })]).toEqual(
          [role, null],
        );
      }
    }
  });
});
