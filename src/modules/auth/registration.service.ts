import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/auth/auth-context.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { District } from '../membership/districts.js';
import type { Firm } from '../membership/entities/firm.entity.js';
import { FirmsService } from '../membership/firms.service.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { EmailVerificationService } from './email-verification.service.js';

export interface ComplainantRegistration {
  email: string;
  name: string;
  password: string;
  locale: Locale;
}

export interface FirmRegistration {
  firmName: string;
  firmNameEn?: string | null;
  creditCode: string;
  district: District;
  email: string;
  name: string;
  password: string;
  locale: Locale;
}

/**
 * Self-service sign-up. Complainants register alone; a firm registers as an applicant together
 * with its first administrator. Either way the address is unverified until the e-mailed link is
 * used, and everything (records, e-mail, audit) is stored in one transaction or not at all.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    private readonly verification: EmailVerificationService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
  ) {}

  registerComplainant(input: ComplainantRegistration, meta: Partial<RequestMeta>): Promise<User> {
    return this.tx.run(async (manager) => {
      const user = await this.users.create(manager, {
        email: input.email,
        name: input.name,
        password: input.password,
        role: 'complainant',
        locale: input.locale,
      });
      await this.verification.send(manager, user);
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'user.registered',
        subjectType: 'user',
        subjectId: user.id,
        summary: { role: user.role },
        meta,
      });
      return user;
    });
  }

  registerFirm(
    input: FirmRegistration,
    meta: Partial<RequestMeta>,
  ): Promise<{ user: User; firm: Firm }> {
    return this.tx.run(async (manager) => {
      const firm = await this.firms.createApplicant(manager, {
        name: input.firmName,
        nameEn: input.firmNameEn ?? null,
        creditCode: input.creditCode,
        district: input.district,
      });
      const user = await this.users.create(manager, {
        email: input.email,
        name: input.name,
        password: input.password,
        role: 'firm_admin',
        firmId: firm.id,
        locale: input.locale,
      });
      await this.verification.send(manager, user);
      const actor = { id: user.id, role: user.role };
      await this.audit.record(manager, {
        actor,
        action: 'firm.registered',
        subjectType: 'firm',
        subjectId: firm.id,
        summary: {
          name: firm.name,
          creditCode: firm.creditCode,
          district: firm.district,
          status: firm.status,
        },
        meta,
      });
      await this.audit.record(manager, {
        actor,
        action: 'user.registered',
        subjectType: 'user',
        subjectId: user.id,
        summary: { role: user.role, firmId: firm.id },
        meta,
      });
      return { user, firm };
    });
  }
}
