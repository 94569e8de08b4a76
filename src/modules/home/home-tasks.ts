import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context.js';
import type { Locale } from '../../common/i18n/i18n.js';

/** How a task is shown and ordered: urgent first, then normal, then info. */
export type HomeTaskPriority = 'urgent' | 'normal' | 'info';

export const PRIORITY_ORDER: Record<HomeTaskPriority, number> = { urgent: 0, normal: 1, info: 2 };

/** One "what to do next" entry on a signed-in person's home page, already in their language. */
export interface HomeTask {
  /** Stable and unique, `<module>.<what>` (e.g. `account.verify-email`); tests and logs use it. */
  id: string;
  priority: HomeTaskPriority;
  title: string;
  detail: string;
  /** A local page that lets the person act on the task. */
  href: string;
  actionLabel: string;
}

/**
 * A module that has something for people to do contributes its tasks through one of these,
 * computed from its own data for the viewer. Register it with HomeTaskRegistry when the module
 * starts (see AccountHomeTasks): import HomeTasksModule, add the provider to the module, and call
 * `registry.register(this)` in `onModuleInit`. Answer `[]` for roles the module has nothing for.
 */
export interface HomeTaskProvider {
  /** Names the provider in logs when it fails. */
  readonly name: string;
  tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]>;
}

/** The providers every module has registered; HomeService asks each of them. */
@Injectable()
export class HomeTaskRegistry {
  private readonly providers: HomeTaskProvider[] = [];

  register(provider: HomeTaskProvider): void {
    if (this.providers.some((p) => p.name === provider.name)) {
      throw new Error(`Home task provider ${provider.name} is registered twice`);
    }
    this.providers.push(provider);
  }

  all(): readonly HomeTaskProvider[] {
    return this.providers;
  }
}
