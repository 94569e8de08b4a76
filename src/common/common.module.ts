import { Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DomainEvents } from './events/domain-events.js';
import { ProblemFilter } from './errors/problem.filter.js';
import { CsrfGuard } from './http/csrf.guard.js';
import { JsonLogger } from './logging/json-logger.js';
import { PageRenderer } from './views/page-renderer.service.js';
import { ViewService } from './views/view.service.js';

/** Cross-cutting services every module may use: views, CSRF tokens, the logger, errors. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(logger: JsonLogger) {
    return {
      module: CommonModule,
      providers: [
        { provide: JsonLogger, useValue: logger },
        ViewService,
        PageRenderer,
        CsrfGuard,
        DomainEvents,
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [JsonLogger, ViewService, PageRenderer, CsrfGuard, DomainEvents],
    };
  }
}
