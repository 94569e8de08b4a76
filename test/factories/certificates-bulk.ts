import type { Test } from 'supertest';
import type { Actor } from '../../src/common/auth/auth-context.js';
import {
  BulkIssuanceService,
  type BatchView,
} from '../../src/modules/certificates/bulk-issuance.service.js';
import { CertificatesService } from '../../src/modules/certificates/certificates.service.js';
import {
  CertificateBatch,
  CertificateBatchItem,
} from '../../src/modules/certificates/entities/certificate-batch.entity.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import type { TestApp } from '../helpers/test-app.js';
import type { CreatedUser } from './index.js';

/** POST /api/v1/certificate-batches as `token`; the raw response, status unchecked. */
export function startBatch(t: TestApp, token: string, body: { kind: string; year?: number }): Test {
  return t.http
    .post('/api/v1/certificate-batches')
    .set(...bearer(token))
    .send(body);
}

/** Waits for the batch to finish in this process (joins the background runner). */
export function runBatch(t: TestApp, batchId: string): Promise<BatchView> {
  return t.app.get(BulkIssuanceService).run(batchId);
}

/** A staff user as the services take it. */
export function actorOf(user: CreatedUser): Actor {
  return { id: user.id, role: user.role, firmId: null, name: 'staff', email: user.email };
}

/**
 * A batch that a process began and then died in: planned (not started in the background), its
 * first `recorded` items issued and recorded, the next one issued but not recorded (the crash
 * fell between the two), the rest pending; held by a dead runner whose lease has `leaseMs` left
 * (negative: expired).
 */
export async function interruptedBatch(
  t: TestApp,
  staff: CreatedUser,
  options: { kind: 'membership'; year?: number; recorded: number; leaseMs: number },
): Promise<BatchView> {
  const bulk = t.app.get(BulkIssuanceService);
  const certificates = t.app.get(CertificatesService);
  const actor = actorOf(staff);
  const planned = await bulk.plan(actor, { kind: options.kind, year: options.year });
  const startedAt = new Date();
  await writeDb(t, (m) =>
    m.update(
      CertificateBatch,
      { id: planned.id },
      {
        state: 'running',
        startedAt,
        claimedBy: 'dead-runner',
        leaseUntil: new Date(Date.now() + options.leaseMs),
      },
    ),
  );
  const items = await t.dataSource.getRepository(CertificateBatchItem).find({
    where: { batchId: planned.id, state: 'pending' },
    order: { position: 'ASC' },
    take: options.recorded + 1,
  });
  for (const [n, item] of items.entries()) {
    const { certificate } = await certificates.issueOne(actor, options.kind, item.subjectId, {
      year: options.year,
      onceEver: true,
    });
    if (n === options.recorded) break;
    await writeDb(t, async (m) => {
      await m.update(
        CertificateBatchItem,
        { id: item.id },
        { state: 'issued', certificateId: certificate.id, updatedAt: new Date() },
      );
      await m.increment(CertificateBatch, { id: planned.id }, 'issued', 1);
    });
  }
  return bulk.get(actor, planned.id);
}

/** Lets the dead runner's lease run out. */
export async function expireLease(t: TestApp, batchId: string): Promise<void> {
  await writeDb(t, (m) =>
    m.update(CertificateBatch, { id: batchId }, { leaseUntil: new Date(Date.now() - 1000) }),
  );
}
