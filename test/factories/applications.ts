import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../../src/common/auth/auth-context.js';
import type { Role } from '../../src/common/auth/roles.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import type { ApplicationState } from '../../src/modules/membership/application.state.js';
import { FirmCategory } from '../../src/modules/membership/entities/firm-category.entity.js';
import { FirmDocument } from '../../src/modules/membership/entities/firm-document.entity.js';
import type { Firm, TierCode } from '../../src/modules/membership/entities/firm.entity.js';
import { MembershipApplication } from '../../src/modules/membership/entities/membership-application.entity.js';
import type { TestApp } from '../helpers/test-app.js';
import { createFirm } from './index.js';

/** Factories for the application and dues tests. */

/** An applicant firm whose record is complete: every field, a category and a business licence. */
export async function createCompleteApplicant(
  t: TestApp,
  overrides: Partial<Firm> = {},
): Promise<Firm> {
  const firm = await createFirm(t, {
    status: 'applicant',
    legalRepresentative: '王大明',
    registeredCapitalFen: 1_000_000_000,
    establishedOn: '2015-06-01',
    address: '深圳市福田区深南大道 1 号',
    contactName: '李小红',
    contactPhone: '0755-88888888',
    contactEmail: 'contact@example.cn',
    ...overrides,
  });
  const tx = t.app.get(TransactionService);
  await tx.run(async (em) => {
    await em.insert(FirmCategory, { firmId: firm.id, category: 'third_party_payment' });
    await em.insert(FirmDocument, {
      id: randomUUID(),
      firmId: firm.id,
      kind: 'business_licence',
      fileName: 'licence.pdf',
      contentType: 'application/pdf',
      sizeBytes: 1234,
      sha256: createHash('sha256').update(firm.id).digest('hex'),
      uploadedBy: randomUUID(),
      uploadedAt: new Date(),
      removedAt: null,
    });
  });
  return firm;
}

/** An application put straight into `state` (the workflow itself is what the tests exercise). */
export async function createApplication(
  t: TestApp,
  firmId: string,
  state: ApplicationState = 'draft',
  options: { requestedTier?: TierCode; submittedAt?: Date | null } = {},
): Promise<MembershipApplication> {
  const now = new Date();
  const submittedAt =
    options.submittedAt !== undefined ? options.submittedAt : state === 'draft' ? null : now;
  const app = {
    id: randomUUID(),
    firmId,
    state,
    requestedTier: options.requestedTier ?? 'member',
    submittedAt,
    decidedAt: state === 'approved' || state === 'rejected' ? now : null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await t.app.get(TransactionService).run((em) => em.insert(MembershipApplication, app));
  return Object.assign(new MembershipApplication(), app);
}

/** An actor for service calls, without a user row behind it. */
export function actorOf(role: Role, firmId: string | null = null): Actor {
  const id = randomUUID();
  return { id, role, firmId, name: `${role}-${id.slice(0, 6)}`, email: `${id}@example.cn` };
}
