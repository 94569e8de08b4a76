import { Module } from '@nestjs/common';
import { HomeTaskRegistry } from './home-tasks.js';

/**
 * Only the registry, with no dependencies, so any module can import it to contribute home-page
 * tasks without importing HomeModule (which depends on other modules) and making a cycle.
 */
@Module({
  providers: [HomeTaskRegistry],
  exports: [HomeTaskRegistry],
})
export class HomeTasksModule {}
