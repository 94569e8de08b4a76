import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { SequenceService } from './sequence.service.js';
import { TransactionService } from './transaction.service.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config),
        migrationsRun: config.MIGRATIONS_RUN,
        migrationsTransactionMode: 'each' as const,
      }),
    }),
  ],
  providers: [TransactionService, SequenceService],
  exports: [TransactionService, SequenceService],
})
export class DatabaseModule {}
