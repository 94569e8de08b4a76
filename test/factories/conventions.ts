import type { Actor } from '../../src/common/auth/auth-context.js';
import { beijingDate } from '../../src/common/time/beijing.js';
import { ConventionsService } from '../../src/modules/pledges/conventions.service.js';
import type { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import type { TestApp } from '../helpers/test-app.js';
import { createUser } from './index.js';

/** A staff administrator as the services see one. */
export async function staffActor(t: TestApp): Promise<Actor> {
  const user = await createUser(t, { role: 'staff_admin' });
  return { id: user.id, role: 'staff_admin', firmId: null, name: 'staff', email: user.email };
}

/** A published convention version, in force from `effectiveOn` (default today, Beijing). */
export async function publishConvention(
  t: TestApp,
  options: { bodyZh?: string; bodyEn?: string | null; effectiveOn?: string; actor?: Actor } = {},
): Promise<ConventionVersion> {
  const conventions = t.app.get(ConventionsService);
  const actor = options.actor ?? (await staffActor(t));
  const draft = await conventions.createDraft(actor, {
    titleZh: '深圳市互联网金融行业自律公约',
    titleEn: 'Self-discipline convention',
    bodyZh: options.bodyZh ?? '# 第一条\n\n会员应当守法经营。\n',
    bodyEn:
      options.bodyEn === undefined ? '# Article 1\n\nMembers obey the law.\n' : options.bodyEn,
  });
  return conventions.publish(actor, draft.id, {
    version: draft.version,
    effectiveOn: options.effectiveOn ?? beijingDate(new Date()),
  });
}
