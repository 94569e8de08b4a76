import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from '../home/home-tasks.js';
import { SettlementSigningService } from './settlement-signing.service.js';
import { surveyPath, SurveysService } from './surveys.service.js';

/**
 * A complainant or a firm's authorised signatory with a settlement to sign is asked to sign it;
 * a complainant with a closed complaint not yet rated is asked to rate the service.
 */
@Injectable()
export class SettlementHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'disputes.settlement';

  constructor(
    private readonly registry: HomeTaskRegistry,
    private readonly signing: SettlementSigningService,
    private readonly surveys: SurveysService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    const role = viewer.user.role;
    if (role !== 'complainant' && role !== 'firm_admin' && role !== 'firm_member') return [];
    const tasks: HomeTask[] = [];
    const toSign = await this.signing.awaitingFor(viewer.user);
    if (toSign.length > 0)
      tasks.push({
        id: 'disputes.sign-settlement',
        priority: 'urgent',
        title: translate(locale, 'disputes.settlement.task.sign.title'),
        detail: translate(locale, 'disputes.settlement.task.sign.detail', {
          count: toSign.length,
          number: toSign[0].number ?? '',
        }),
        href: `/disputes/settlements/${toSign[0].settlementId}/sign`,
        actionLabel: translate(locale, 'disputes.settlement.task.sign.action'),
      });
    if (role === 'complainant') {
      const toRate = await this.surveys.pendingFor(viewer.user.id);
      if (toRate.length > 0)
        tasks.push({
          id: 'disputes.rate-service',
          priority: 'info',
          title: translate(locale, 'disputes.survey.task.title'),
          detail: translate(locale, 'disputes.survey.task.detail', {
            count: toRate.length,
            number: toRate[0].number ?? '',
          }),
          href: surveyPath(toRate[0].id),
          actionLabel: translate(locale, 'disputes.survey.task.action'),
        });
    }
    return tasks;
  }
}
