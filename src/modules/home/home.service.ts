import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { isFirmRole, isStaff, ROLES, type Role } from '../../common/auth/roles.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { FirmsService } from '../membership/firms.service.js';
import { UsersService } from '../users/users.service.js';
import { HomeTaskRegistry, PRIORITY_ORDER, type HomeTask } from './home-tasks.js';

/** What the association does, as the landing page lists it (icon names match partials/icon). */
const SERVICES = ['membership', 'convention', 'ratings', 'mediation', 'certificates'] as const;
/** The clauses of 深府〔2014〕23号 the platform carries out. */
const BASIS = ['c19', 'c16', 'c20', 'c22'] as const;
const AUDIENCES = ['firms', 'consumers', 'mediators', 'staff'] as const;

export interface LandingModel {
  services: Array<{ icon: string; title: string; body: string }>;
  basis: Array<{ clause: string; text: string; use: string }>;
  audiences: Array<{ title: string; body: string }>;
}

export interface StaffOverview {
  /** Accounts per role, for administrators only (null for reviewers). */
  usersByRole: Array<{ role: Role; label: string; count: number }> | null;
  totalUsers: number | null;
  auditUrl: string;
}

export interface FirmOverview {
  name: string;
  nameEn: string | null;
  creditCode: string;
  status: string;
  statusLabel: string;
}

export interface DashboardModel {
  heading: string;
  intro: string;
  tasks: HomeTask[];
  staff: StaffOverview | null;
  firm: FirmOverview | null;
  /** For roles whose work arrives with later modules: what will appear here. */
  note: string | null;
}

/**
 * The home page's content. Tasks come from every registered HomeTaskProvider (each module knows
 * what it needs people to do); the role overview is the foundation's own.
 */
@Injectable()
export class HomeService {
  constructor(
    private readonly registry: HomeTaskRegistry,
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    private readonly logger: JsonLogger,
  ) {}

  landing(locale: Locale): LandingModel {
    return {
      services: SERVICES.map((key) => ({
        icon: key,
        title: translate(locale, `home.service.${key}.title`),
        body: translate(locale, `home.service.${key}.body`),
      })),
      basis: BASIS.map((key) => ({
        clause: translate(locale, `home.basis.${key}.clause`),
        text: translate(locale, `home.basis.${key}.text`),
        use: translate(locale, `home.basis.${key}.use`),
      })),
      audiences: AUDIENCES.map((key) => ({
        title: translate(locale, `home.audience.${key}.title`),
        body: translate(locale, `home.audience.${key}.body`),
      })),
    };
  }

  /**
   * Every provider's tasks, most pressing first. A provider that fails is logged and left out:
   * one module's fault must not take the home page down for everyone.
   */
  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    const lists = await Promise.all(
      this.registry.all().map(async (provider) => {
        try {
          return await provider.tasksFor(viewer, locale);
        } catch (error) {
          this.logger.event('error', 'home.task_provider_failed', {
            provider: provider.name,
            userId: viewer.user.id,
            error: error instanceof Error ? error.message : String(error),
          });
          return [];
        }
      }),
    );
    // Array.prototype.sort is stable, so each provider's own order survives within a priority.
    return lists.flat().sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority]);
  }

  async dashboard(viewer: AuthContext, locale: Locale): Promise<DashboardModel> {
    const role = viewer.user.role;
    const [tasks, staff, firm] = await Promise.all([
      this.tasksFor(viewer, locale),
      isStaff(role) ? this.staffOverview(role, locale) : Promise.resolve(null),
      isFirmRole(role) && viewer.user.firmId
        ? this.firmOverview(viewer.user.firmId, locale)
        : Promise.resolve(null),
    ]);
    const noteKey = `home.note.${role}`;
    return {
      heading: translate(locale, `home.heading.${role}`),
      intro: translate(locale, `home.intro.${role}`),
      tasks,
      staff,
      firm,
      note: isMessageKey(noteKey) ? translate(locale, noteKey) : null,
    };
  }

  private async staffOverview(role: Role, locale: Locale): Promise<StaffOverview> {
    if (role !== 'staff_admin')
      return { usersByRole: null, totalUsers: null, auditUrl: '/staff/audit' };
    const counts = await this.users.countByRole();
    const usersByRole = ROLES.map((r) => ({
      role: r,
      label: translate(locale, `role.${r}`),
      count: counts[r] ?? 0,
    }));
    return {
      usersByRole,
      totalUsers: usersByRole.reduce((sum, row) => sum + row.count, 0),
      auditUrl: '/staff/audit',
    };
  }

  private async firmOverview(firmId: string, locale: Locale): Promise<FirmOverview | null> {
    const firm = await this.firms.findById(firmId);
    if (!firm) return null;
    const statusKey = `home.firmStatus.${firm.status}`;
    return {
      name: firm.name,
      nameEn: firm.nameEn,
      creditCode: firm.creditCode,
      status: firm.status,
      // Membership adds statuses as it grows; an unknown one is shown as stored, not hidden.
      statusLabel: isMessageKey(statusKey) ? translate(locale, statusKey) : firm.status,
    };
  }
}
