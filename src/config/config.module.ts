import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.service';
import { validateEnvironment } from './environment';
import { SessionSecret } from './session-secret.provider';

@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validate: validateEnvironment })],
  providers: [AppConfig, SessionSecret],
  exports: [AppConfig, SessionSecret],
})
export class AppConfigModule {}
