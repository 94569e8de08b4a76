import type { Actor } from '../../src/common/auth/auth-context.js';
import { beijingDate } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { ConventionsService } from '../../src/modules/pledges/conventions.service.js';
import type { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { SignaturesService } from '../../src/modules/pledges/signatures.service.js';
import { UsersService } from '../../src/modules/users/users.service.js';
import type { TestApp } from '../helpers/test-app.js';
import { createFirm, createUser, type CreatedUser } from './index.js';

/** Drafts and publishes a convention version in force from today. */
export async function publishConvention(
  t: TestApp,
  staff: Actor,
  title = '深圳市互联网金融行业自律公约',
): Promise<ConventionVersion> {
  const conventions = t.app.get(ConventionsService);
  const draft = await conventions.createDraft(staff, {
    titleZh: title,
    titleEn: 'Self-discipline convention',
    bodyZh: '# 总则\n\n会员单位应当遵守法律法规，诚实守信。\n',
    bodyEn: '# General\n\nMembers obey the law and act in good faith.\n',
  });
  return conventions.publish(staff, draft.id, {
    version: draft.version,
    effectiveOn: beijingDate(new Date()),
  });
}

export interface SignatoryFirm {
  firm: Firm;
  signatory: CreatedUser & { name: string };
  actor: Actor;
}

/** An active member firm whose administrator is its authorised signatory. */
export async function createSignatoryFirm(
  t: TestApp,
  overrides: Partial<Firm> = {},
): Promise<SignatoryFirm> {
  const firm = await createFirm(t, overrides);
  const user = await createUser(t, { role: 'firm_admin', firmId: firm.id });
  await t.app
    .get(TransactionService)
    .run((em) => em.update(Firm, { id: firm.id }, { signatoryUserId: user.id }));
  const stored = await t.app.get(UsersService).findById(user.id);
  const name = stored!.name;
  return {
    firm: { ...firm, signatoryUserId: user.id },
    signatory: { ...user, name },
    actor: { id: user.id, role: 'firm_admin', firmId: firm.id, name, email: user.email },
  };
}

/** The signatory signs the version in force through the signatures service. */
export async function signConvention(
  t: TestApp,
  who: SignatoryFirm,
  version: ConventionVersion,
): Promise<void> {
  await t.app.get(SignaturesService).sign(
    who.actor,
    {
      firmId: who.firm.id,
      conventionVersionId: version.id,
      typedName: who.signatory.name,
      signerTitle: '总经理',
      consent: true,
      password: who.signatory.password,
    },
    { ip: '127.0.0.1', userAgent: 'jest', requestId: null },
  );
}
