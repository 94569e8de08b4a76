import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from './app-config.js';
import { APP_SECRET } from './app-secret.js';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, secret: string): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: APP_SECRET, useValue: secret },
      ],
      exports: [AppConfig, APP_SECRET],
    };
  }
}
