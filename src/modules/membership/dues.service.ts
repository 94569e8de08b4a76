import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { beijingDate, isCalendarDate } from '../../common/time/beijing.js';
import { SequenceService } from '../../database/sequence.service.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { formatFen } from './dues.js';
import { Firm, TIER_CODES, type TierCode } from './entities/firm.entity.js';
import { Invoice, type InvoiceKind, type InvoiceStatus } from './entities/invoice.entity.js';
import { MembershipTier } from './entities/membership-tier.entity.js';
import { Payment } from './entities/payment.entity.js';
import { MembershipError } from './membership.errors.js';

export const INVOICE_STATUSES: readonly InvoiceStatus[] = ['open', 'paid', 'waived'];
export const INVOICE_PAGE_MAX = 100;
export const INVOICE_PAGE_DEFAULT = 20;

type AuditActor = Pick<Actor, 'id' | 'role'>;

export interface RaiseInvoiceInput {
  firmId: string;
  /** The membership (calendar) year the invoice pays for; it also names the number series. */
  year: number;
  kind: InvoiceKind;
  tier: TierCode;
  amountFen: number;
  /** Beijing calendar date, YYYY-MM-DD. */
  dueOn: string;
  /** Who raised it; null or absent for the system (the renewal job). */
  actor?: AuditActor | null;
  meta?: Partial<RequestMeta>;
  issuedAt?: Date;
}

export interface TierView {
  code: TierCode;
  nameZh: string;
  nameEn: string;
  annualFeeFen: number;
  /** The fee in yuan, formatted: "20,000.00". */
  annualFee: string;
  rank: number;
  updatedAt: string;
}

export interface InvoiceView {
  id: string;
  number: string;
  firmId: string;
  year: number;
  kind: InvoiceKind;
  tier: string;
  status: InvoiceStatus;
  amountFen: number;
  paidFen: number;
  balanceFen: number;
  amount: string;
  paid: string;
  balance: string;
  issuedAt: string;
  dueOn: string;
  waivedAt: string | null;
  waivedReason: string | null;
  version: number;
}

export interface PaymentView {
  id: string;
  amountFen: number;
  amount: string;
  paidOn: string;
  bankReference: string;
  recordedAt: string;
}

export interface InvoiceFilters {
  status?: InvoiceStatus;
  year?: number;
  firmId?: string;
  limit?: number;
  offset?: number;
}

export interface InvoiceListItem extends InvoiceView {
  firmName: string;
}

export interface InvoiceList {
  items: InvoiceListItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface NewPayment {
  amountFen: number;
  paidOn: string;
  bankReference: string;
  version: number;
}

/** What is still owed. A waived invoice owes nothing, whatever was paid before the waiver. */
export function balanceFen(invoice: Pick<Invoice, 'amountFen' | 'paidFen' | 'status'>): number {
  if (invoice.status === 'waived') return 0;
  return Math.max(invoice.amountFen - invoice.paidFen, 0);
}

export function invoiceNumber(year: number, serial: number): string {
  return `SZIFA-INV-${year}-${String(serial).padStart(6, '0')}`;
}

export function toTierView(tier: MembershipTier): TierView {
  return {
    code: tier.code,
    nameZh: tier.nameZh,
    nameEn: tier.nameEn,
    annualFeeFen: tier.annualFeeFen,
    annualFee: formatFen(tier.annualFeeFen),
    rank: tier.rank,
    updatedAt: tier.updatedAt.toISOString(),
  };
}

export function toInvoiceView(invoice: Invoice): InvoiceView {
  const balance = balanceFen(invoice);
  return {
    id: invoice.id,
    number: invoice.number,
    firmId: invoice.firmId,
    year: invoice.year,
    kind: invoice.kind,
    tier: invoice.tier,
    status: invoice.status,
    amountFen: invoice.amountFen,
    paidFen: invoice.paidFen,
    balanceFen: balance,
    amount: formatFen(invoice.amountFen),
    paid: formatFen(invoice.paidFen),
    balance: formatFen(balance),
    issuedAt: invoice.issuedAt.toISOString(),
    dueOn: invoice.dueOn,
    waivedAt: invoice.waivedAt?.toISOString() ?? null,
    waivedReason: invoice.waivedReason,
    version: invoice.version,
  };
}

export function toPaymentView(payment: Payment): PaymentView {
  return {
    id: payment.id,
    amountFen: payment.amountFen,
    amount: formatFen(payment.amountFen),
    paidOn: payment.paidOn,
    bankReference: payment.bankReference,
    recordedAt: payment.recordedAt.toISOString(),
  };
}

export function isTierCode(value: string): value is TierCode {
  return (TIER_CODES as readonly string[]).includes(value);
}

/**
 * Tiers and their fees, invoices and payments. Money is integer fen throughout. An invoice is
 * `open` until payments cover it (`paid`) or staff waive the rest (`waived`); both are final.
 */
@Injectable()
export class DuesService {
  constructor(
    @InjectRepository(MembershipTier) private readonly tiers: Repository<MembershipTier>,
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    @InjectRepository(Firm) private readonly firms: Repository<Firm>,
    private readonly tx: TransactionService,
    private readonly sequences: SequenceService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
  ) {}

  /** All tiers, highest first. */
  listTiers(): Promise<MembershipTier[]> {
    return this.tiers.find({ order: { rank: 'ASC' } });
  }

  async tier(code: string, manager?: EntityManager): Promise<MembershipTier> {
    const tier = isTierCode(code)
      ? await (manager ?? this.tiers.manager).findOneBy(MembershipTier, { code })
      : null;
    if (!tier) throw new MembershipError('TIER_NOT_FOUND');
    return tier;
  }

  /** Sets a tier's annual fee; new invoices use it, invoices already raised keep their amount. */
  async setTierFee(
    actor: AuditActor,
    code: string,
    annualFeeFen: number,
    meta: Partial<RequestMeta> = {},
  ): Promise<MembershipTier> {
    if (!Number.isInteger(annualFeeFen) || annualFeeFen < 0)
      throw new MembershipError('AMOUNT_INVALID');
    return this.tx.run(async (manager) => {
      const tier = await this.tier(code, manager);
      const from = tier.annualFeeFen;
      const updatedAt = new Date();
      await manager.update(
        MembershipTier,
        { code: tier.code },
        { annualFeeFen, updatedAt, updatedBy: actor.id },
      );
      await this.audit.record(manager, {
        actor,
        action: 'membership.tier_fee_set',
        subjectType: 'membership_tier',
        subjectId: tier.code,
        summary: { fromFen: from, toFen: annualFeeFen },
        meta,
      });
      return { ...tier, annualFeeFen, updatedAt, updatedBy: actor.id };
    });
  }

  /**
   * Raises an invoice inside the caller's transaction and numbers it from the year's gap-free
   * series. One invoice per firm, year and kind (INVOICE_ALREADY_RAISED otherwise).
   *
   * Lock order: the number series' row first, the audit chain after. Call this before recording
   * your own audit events in the same transaction, or two transactions can wait on each other.
   */
  async raiseInvoice(manager: EntityManager, input: RaiseInvoiceInput): Promise<Invoice> {
    if (!Number.isInteger(input.amountFen) || input.amountFen < 0)
      throw new MembershipError('AMOUNT_INVALID');
    if (!isCalendarDate(input.dueOn)) throw new Error(`dueOn is not a date: ${input.dueOn}`);
    const existing = await manager.findOneBy(Invoice, {
      firmId: input.firmId,
      year: input.year,
      kind: input.kind,
    });
    if (existing) throw new MembershipError('INVOICE_ALREADY_RAISED', { number: existing.number });
    const serial = await this.sequences.next(manager, `invoice:${input.year}`);
    const invoice = manager.create(Invoice, {
      id: randomUUID(),
      number: invoiceNumber(input.year, serial),
      firmId: input.firmId,
      year: input.year,
      kind: input.kind,
      tier: input.tier,
      amountFen: input.amountFen,
      paidFen: 0,
      // A zero invoice (a tier set free) owes nothing from the start.
      status: input.amountFen === 0 ? 'paid' : 'open',
      issuedAt: input.issuedAt ?? new Date(),
      dueOn: input.dueOn,
      waivedAt: null,
      waivedBy: null,
      waivedReason: null,
      version: 1,
    });
    await manager.insert(Invoice, invoice);
    await this.audit.record(manager, {
      actor: input.actor ?? null,
      action: 'membership.invoice_raised',
      subjectType: 'invoice',
      subjectId: invoice.id,
      summary: {
        number: invoice.number,
        firmId: invoice.firmId,
        year: invoice.year,
        kind: invoice.kind,
        tier: invoice.tier,
        amountFen: invoice.amountFen,
        dueOn: invoice.dueOn,
      },
      meta: input.meta,
    });
    return invoice;
  }

  /** What is still owed on an invoice (the exported function, for callers holding the service). */
  balanceFen(invoice: Pick<Invoice, 'amountFen' | 'paidFen' | 'status'>): number {
    return balanceFen(invoice);
  }

  /** A firm's invoices, newest year first (the firm portal lists them). */
  invoicesForFirm(firmId: string): Promise<Invoice[]> {
    return this.invoices.find({
      where: { firmId },
      order: { year: 'DESC', issuedAt: 'DESC', id: 'ASC' },
    });
  }

  /** An invoice the actor may see: staff any, a firm user only its firm's (else "not found"). */
  /** Whether the firm's dues for a membership year are settled: an invoice paid or waived. */
  async isYearSettled(firmId: string, year: number, manager?: EntityManager): Promise<boolean> {
    const m = manager ?? this.invoices.manager;
    const settled = await m.count(Invoice, {
      where: { firmId, year, status: In(['paid', 'waived'] as InvoiceStatus[]) },
    });
    return settled > 0;
  }

  async findVisible(actor: Pick<Actor, 'role' | 'firmId'>, id: string): Promise<Invoice> {
    const invoice = await this.invoices.findOneBy({ id });
    const maySee =
      invoice !== null &&
      (isStaff(actor.role) || (actor.firmId !== null && actor.firmId === invoice.firmId));
    if (!maySee) throw new MembershipError('INVOICE_NOT_FOUND');
    return invoice;
  }

  paymentsOf(invoiceId: string): Promise<Payment[]> {
    return this.payments.find({ where: { invoiceId }, order: { recordedAt: 'ASC', id: 'ASC' } });
  }

  /** Staff's invoice list, newest first, filtered; offset-paginated (at most 100 a page). */
  async list(filters: InvoiceFilters): Promise<InvoiceList> {
    const limit = Math.min(Math.max(filters.limit ?? INVOICE_PAGE_DEFAULT, 1), INVOICE_PAGE_MAX);
    const offset = Math.max(filters.offset ?? 0, 0);
    const qb = this.invoices.createQueryBuilder('i');
    if (filters.status) qb.andWhere('i.status = :status', { status: filters.status });
    if (filters.year !== undefined) qb.andWhere('i.year = :year', { year: filters.year });
    // '' (a caller with no firm) matches nothing, rather than dropping the filter.
    if (filters.firmId !== undefined) qb.andWhere('i.firmId = :firmId', { firmId: filters.firmId });
    const [rows, total] = await qb
      .orderBy('i.issuedAt', 'DESC')
      .addOrderBy('i.id', 'ASC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    const names = await this.firmNames(rows.map((r) => r.firmId));
    return {
      items: rows.map((r) => ({ ...toInvoiceView(r), firmName: names.get(r.firmId) ?? '' })),
      total,
      limit,
      offset,
    };
  }

  /** Years that have invoices, newest first (the staff filter offers them). */
  async invoiceYears(): Promise<number[]> {
    const rows = await this.invoices
      .createQueryBuilder('i')
      .select('i.year', 'year')
      .distinct(true)
      .orderBy('i.year', 'DESC')
      .getRawMany<{ year: number | string }>();
    return rows.map((r) => Number(r.year));
  }

  /**
   * What each firm still owes: the sum of its open invoices' balances, in fen (0 for a firm
   * with none). One query for the whole page of the staff member list.
   */
  async openBalancesFen(firmIds: string[]): Promise<Map<string, number>> {
    const unique = [...new Set(firmIds)];
    const balances = new Map(unique.map((id) => [id, 0]));
    if (unique.length === 0) return balances;
    const rows = await this.invoices
      .createQueryBuilder('i')
      .select('i.firmId', 'firmId')
      .addSelect('SUM(i.amountFen - i.paidFen)', 'balance')
      .where('i.status = :status', { status: 'open' })
      .andWhere('i.firmId IN (:...ids)', { ids: unique })
      .groupBy('i.firmId')
      .getRawMany<{ firmId: string; balance: number | string }>();
    for (const row of rows) balances.set(row.firmId, Number(row.balance));
    return balances;
  }

  async firmNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const firms = await this.firms.find({
      where: { id: In(unique) },
      select: { id: true, name: true },
    });
    return new Map(firms.map((f) => [f.id, f.name]));
  }

  /**
   * Records money received against an open invoice. A part payment leaves a balance; a payment
   * larger than the balance is refused (the association refunds rather than carrying credit).
   */
  async recordPayment(
    actor: AuditActor,
    invoiceId: string,
    input: NewPayment,
    meta: Partial<RequestMeta> = {},
    now = new Date(),
  ): Promise<{ invoice: Invoice; payment: Payment }> {
    if (!Number.isInteger(input.amountFen) || input.amountFen <= 0)
      throw new MembershipError('AMOUNT_INVALID');
    if (!isCalendarDate(input.paidOn) || input.paidOn > beijingDate(now))
      throw new MembershipError('PAYMENT_DATE_INVALID');
    return this.tx.run(async (manager) => {
      const invoice = await manager.findOneBy(Invoice, { id: invoiceId });
      if (!invoice) throw new MembershipError('INVOICE_NOT_FOUND');
      // Someone changed it since the caller looked: their balance is out of date.
      if (invoice.version !== input.version) throw new CommonError('CONFLICT');
      if (invoice.status !== 'open') throw new MembershipError('INVOICE_NOT_OPEN');
      const balance = balanceFen(invoice);
      if (input.amountFen > balance)
        throw new MembershipError('PAYMENT_EXCEEDS_BALANCE', { balanceFen: balance });
      const paidFen = invoice.paidFen + input.amountFen;
      const status: InvoiceStatus = paidFen === invoice.amountFen ? 'paid' : 'open';
      await updateVersioned(manager, Invoice, invoice.id, input.version, { paidFen, status });
      const payment = manager.create(Payment, {
        id: randomUUID(),
        invoiceId: invoice.id,
        amountFen: input.amountFen,
        paidOn: input.paidOn,
        bankReference: input.bankReference.trim(),
        recordedBy: actor.id,
        recordedAt: now,
      });
      await manager.insert(Payment, payment);
      await this.audit.record(manager, {
        actor,
        action: 'membership.payment_recorded',
        subjectType: 'invoice',
        subjectId: invoice.id,
        summary: {
          number: invoice.number,
          paymentId: payment.id,
          amountFen: input.amountFen,
          paidOn: input.paidOn,
          bankReference: payment.bankReference,
          paidFen,
          status: { from: invoice.status, to: status },
        },
        meta,
      });
      const firm = await manager.findOneBy(Firm, { id: invoice.firmId });
      const receiptPath = `/firm/invoices/${invoice.id}/receipt`;
      for (const admin of await this.users.firmAdmins(manager, invoice.firmId)) {
        await this.notifications.queueEmail(manager, {
          to: admin.email,
          template: 'invoice-payment-recorded',
          locale: admin.locale,
          context: {
            name: admin.name,
            firmName: firm?.name ?? '',
            invoiceNumber: invoice.number,
            amount: formatFen(input.amountFen),
            paidOn: input.paidOn,
            bankReference: payment.bankReference,
            balance: formatFen(invoice.amountFen - paidFen),
            receiptPath,
          },
        });
        await this.notifications.notify(manager, {
          userId: admin.id,
          kind: 'dues.payment_recorded',
          titleZh: `已收到会费款项（账单 ${invoice.number}）`,
          titleEn: `Dues payment received (invoice ${invoice.number})`,
          link: receiptPath,
        });
      }
      return {
        invoice: { ...invoice, paidFen, status, version: invoice.version + 1 },
        payment,
      };
    });
  }

  /** Waives what is still owed on an open invoice, with the reason kept on the invoice. */
  async waive(
    actor: AuditActor,
    invoiceId: string,
    input: { reason: string; version: number },
    meta: Partial<RequestMeta> = {},
  ): Promise<Invoice> {
    const reason = input.reason.trim();
    return this.tx.run(async (manager) => {
      const invoice = await manager.findOneBy(Invoice, { id: invoiceId });
      if (!invoice) throw new MembershipError('INVOICE_NOT_FOUND');
      if (invoice.version !== input.version) throw new CommonError('CONFLICT');
      if (invoice.status !== 'open') throw new MembershipError('INVOICE_NOT_OPEN');
      const waivedAt = new Date();
      const changes = {
        status: 'waived' as const,
        waivedAt,
        waivedBy: actor.id,
        waivedReason: reason,
      };
      await updateVersioned(manager, Invoice, invoice.id, input.version, changes);
      await this.audit.record(manager, {
        actor,
        action: 'membership.invoice_waived',
        subjectType: 'invoice',
        subjectId: invoice.id,
        summary: {
          number: invoice.number,
          waivedFen: balanceFen(invoice),
          reason,
          status: { from: invoice.status, to: 'waived' },
        },
        meta,
      });
      return { ...invoice, ...changes, version: invoice.version + 1 };
    });
  }
}
