import { describe, expect, it, jest } from '@jest/globals';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import type { FirmsService } from '../membership/firms.service.js';
import type { UsersService } from '../users/users.service.js';
import { HomeService } from './home.service.js';
import {
  HomeTaskRegistry,
  type HomeTask,
  type HomeTaskPriority,
  type HomeTaskProvider,
} from './home-tasks.js';

const viewer: AuthContext = {
  user: { id: 'u1', role: 'complainant', firmId: null, name: '张三', email: 'z@example.cn' },
  sessionId: 's1',
  pendingStep: null,
  emailVerified: true,
  mfaEnabled: true,
};

function taskOf(id: string, priority: HomeTaskPriority): HomeTask {
  return { id, priority, title: id, detail: '', href: '/', actionLabel: 'go' };
}

function provider(name: string, tasks: HomeTask[] | Error): HomeTaskProvider {
  return {
    name,
    tasksFor: () => (tasks instanceof Error ? Promise.reject(tasks) : Promise.resolve(tasks)),
  };
}

function serviceWith(...providers: HomeTaskProvider[]): {
  service: HomeService;
  logger: JsonLogger;
} {
  const registry = new HomeTaskRegistry();
  for (const p of providers) registry.register(p);
  const logger = new JsonLogger('silent');
  const service = new HomeService(registry, {} as UsersService, {} as FirmsService, logger);
  return { service, logger };
}

describe('HomeService tasks', () => {
  it('lists urgent tasks first, then normal, then info, keeping each provider’s own order', async () => {
    const { service } = serviceWith(
      provider('a', [taskOf('a.info', 'info'), taskOf('a.normal', 'normal')]),
      provider('b', [
        taskOf('b.urgent', 'urgent'),
        taskOf('b.normal', 'normal'),
        taskOf('b.urgent2', 'urgent'),
      ]),
    );
    const ids = (await service.tasksFor(viewer, 'zh-CN')).map((task) => task.id);
    expect(ids).toEqual(['b.urgent', 'b.urgent2', 'a.normal', 'b.normal', 'a.info']);
  });

  it('leaves out a provider that fails, logs it, and still shows the others', async () => {
    const { service, logger } = serviceWith(
      provider('broken', new Error('database away')),
      provider('fine', [taskOf('fine.one', 'normal')]),
    );
    const event = jest.spyOn(logger, 'event');
    const tasks = await service.tasksFor(viewer, 'en');
    expect(tasks.map((task) => task.id)).toEqual(['fine.one']);
    expect(event).toHaveBeenCalledWith(
      'error',
      'home.task_provider_failed',
      expect.objectContaining({ provider: 'broken', error: 'database away' }),
    );
  });

  it('refuses a provider registered twice under one name', () => {
    const registry = new HomeTaskRegistry();
    registry.register(provider('x', []));
    expect(() => registry.register(provider('x', []))).toThrow(/registered twice/);
  });
});
