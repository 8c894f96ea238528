import { DynamicModule, Global, Module } from '@nestjs/common';
import { BOOT_ENVIRONMENT } from '../kickstart/kickstart.service';
import { APP_CONFIG, AppConfig } from './config.schema';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, env: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: BOOT_ENVIRONMENT, useValue: Object.freeze({ ...env }) },
      ],
      exports: [APP_CONFIG, BOOT_ENVIRONMENT],
    };
  }
}
