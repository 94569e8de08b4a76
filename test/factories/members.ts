import { randomUUID } from 'node:crypto';
import { TransactionService } from '../../src/database/transaction.service.js';
import type { Category } from '../../src/modules/membership/categories.js';
import { DuesService } from '../../src/modules/membership/dues.service.js';
import { FirmCategory } from '../../src/modules/membership/entities/firm-category.entity.js';
import type { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import type { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { firmSearchText } from '../../src/modules/membership/firm-access.js';
import type { TestApp } from '../helpers/test-app.js';
import { createFirm } from './index.js';

/** Factories for the member-register tests (list, export, import). */

/** A firm with the fields the member list shows, its search text and its categories. */
export async function createMember(
  t: TestApp,
  overrides: Partial<Firm> & { categories?: Category[] } = {},
): Promise<Firm> {
  const { categories = [], ...fields } = overrides;
  const name = fields.name ?? `测试会员机构${randomUUID().slice(0, 8)}`;
  const firm = await createFirm(t, {
    status: 'active',
    tier: 'member',
    memberSince: '2024-01-15',
    ...fields,
    name,
    searchText: firmSearchText(name, fields.nameEn ?? null),
  });
  if (categories.length > 0) {
    await t.app.get(TransactionService).run((em) =>
      em.insert(
        FirmCategory,
        categories.map((category) => ({ firmId: firm.id, category })),
      ),
    );
  }
  return firm;
}

/** An invoice for `firmId` (through DuesService, numbered like any other), part-paid if asked. */
export async function createInvoice(
  t: TestApp,
  firmId: string,
  options: { year?: number; amountFen: number; paidFen?: number; kind?: 'initial' | 'renewal' },
): Promise<Invoice> {
  const dues = t.app.get(DuesService);
  const invoice = await t.app.get(TransactionService).run((em) =>
    dues.raiseInvoice(em, {
      firmId,
      year: options.year ?? 2026,
      kind: options.kind ?? 'initial',
      tier: 'member',
      amountFen: options.amountFen,
      dueOn: `${options.year ?? 2026}-03-31`,
    }),
  );
  if (!options.paidFen) return invoice;
  const staff = { id: randomUUID(), role: 'staff_admin' as const };
  const paid = await dues.recordPayment(staff, invoice.id, {
    amountFen: options.paidFen,
    paidOn: '2026-01-10',
    bankReference: `TEST-${randomUUID().slice(0, 8)}`,
    version: invoice.version,
  });
  return paid.invoice;
}
