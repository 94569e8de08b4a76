import { randomUUID } from 'node:crypto';
import { beijingDate } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import type { Category } from '../../src/modules/membership/categories.js';
import { DuesService } from '../../src/modules/membership/dues.service.js';
import { FirmCategory } from '../../src/modules/membership/entities/firm-category.entity.js';
import { FirmStatusEvent } from '../../src/modules/membership/entities/firm-status-event.entity.js';
import type { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import type { Invoice, InvoiceKind } from '../../src/modules/membership/entities/invoice.entity.js';
import type { TestApp } from '../helpers/test-app.js';
import { createFirm, createUser, type CreatedUser } from './index.js';

/** Factories for the membership lifecycle and directory tests. */

const STAFF = { id: randomUUID(), role: 'staff_admin' as const };

/**
 * A member firm with the fields the directory shows (search text kept as the services keep it),
 * its categories, and an 'admitted' status event dated `memberSince`.
 */
export async function createListedFirm(
  t: TestApp,
  overrides: Partial<Firm> & { categories?: Category[] } = {},
): Promise<Firm> {
  const { categories = [], ...fields } = overrides;
  const name = fields.name ?? `测试会员机构${randomUUID().slice(0, 8)}`;
  const nameEn = fields.nameEn ?? null;
  const firm = await createFirm(t, {
    status: 'active',
    tier: 'member',
    memberSince: '2024-01-15',
    ...fields,
    name,
    nameEn,
    searchText: `${name} ${nameEn ?? ''}`.toLowerCase(),
  });
  await t.app.get(TransactionService).run(async (em) => {
    if (categories.length > 0)
      await em.insert(
        FirmCategory,
        categories.map((category) => ({ firmId: firm.id, category })),
      );
    if (firm.memberSince) {
      await em.insert(FirmStatusEvent, {
        id: randomUUID(),
        firmId: firm.id,
        status: 'active',
        reasonCategory: 'admitted',
        reason: null,
        decisionRef: null,
        until: null,
        effectiveAt: new Date(`${firm.memberSince}T02:00:00Z`),
        actorId: null,
      });
    }
  });
  return firm;
}

/** A member firm and one administrator who receives its notices. */
export async function createMemberWithAdmin(
  t: TestApp,
  overrides: Partial<Firm> = {},
): Promise<{ firm: Firm; admin: CreatedUser }> {
  const firm = await createListedFirm(t, overrides);
  const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
  return { firm, admin };
}

/**
 * An invoice with a chosen due date, raised through DuesService; then part- or fully paid, or
 * waived, as asked.
 */
export async function createDuesInvoice(
  t: TestApp,
  firmId: string,
  options: {
    year: number;
    dueOn: string;
    kind?: InvoiceKind;
    amountFen?: number;
    paidFen?: number;
    waived?: boolean;
  },
): Promise<Invoice> {
  const dues = t.app.get(DuesService);
  let invoice = await t.app.get(TransactionService).run((em) =>
    dues.raiseInvoice(em, {
      firmId,
      year: options.year,
      kind: options.kind ?? 'renewal',
      tier: 'member',
      amountFen: options.amountFen ?? 2_000_000,
      dueOn: options.dueOn,
      issuedAt: new Date(`${options.dueOn}T00:00:00Z`),
    }),
  );
  if (options.paidFen) {
    invoice = (
      await dues.recordPayment(STAFF, invoice.id, {
        amountFen: options.paidFen,
        paidOn: beijingDate(new Date()),
        bankReference: `TEST-${randomUUID().slice(0, 8)}`,
        version: invoice.version,
      })
    ).invoice;
  }
  if (options.waived) {
    invoice = await dues.waive(STAFF, invoice.id, {
      reason: 'hardship',
      version: invoice.version,
    });
  }
  return invoice;
}

/** A firm's status events, oldest first. */
export function statusEventsOf(t: TestApp, firmId: string): Promise<FirmStatusEvent[]> {
  return t.dataSource
    .getRepository(FirmStatusEvent)
    .find({ where: { firmId }, order: { effectiveAt: 'ASC', id: 'ASC' } });
}
