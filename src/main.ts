import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { validateEnvironment } from './config/environment';

/** How long one request may take from start to end: long enough for the largest evidence upload. */
const UPLOAD_REQUEST_TIMEOUT_MS = 60 * 60 * 1000;

async function bootstrap(): Promise<void> {
  const started = Date.now();
  let logLevel: string;
  try {
    logLevel = validateEnvironment(process.env).LOG_LEVEL;
  } catch (error) {
    // A wrong setting is the operator's to fix: say which, without a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
  // Loaded only now, because the configuration module validates the environment as it loads.
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('./app.module.js');
  const { configureApp } = await import('./app.setup.js');
  const { AppConfig } = await import('./config/app-config.service.js');
  const { OperatorSetupService } = await import('./auth/operator-setup.service.js');
  const { humanReadableLogs, startupLogger } = await import('./common/logging/logger.options.js');
  const { startupBanner } = await import('./common/logging/startup-banner.js');

  const app = configureApp(await NestFactory.create(AppModule, { logger: startupLogger(logLevel), bodyParser: false }));
  const config = app.get(AppConfig);
  // Node ends any request after 5 minutes; an evidence file of UPLOAD_MAX_BYTES over a slow line needs
  // longer. Headers must still arrive within Node's own limit, so a slow client cannot hold a socket idle.
  (app.getHttpServer() as Server).requestTimeout = UPLOAD_REQUEST_TIMEOUT_MS;
  await app.listen(config.port);
  new Logger('Bootstrap').log(`Adhere is ready at ${config.publicUrl} (started in ${Date.now() - started} ms)`);
  if (humanReadableLogs()) {
    process.stdout.write(startupBanner(config.publicUrl, app.get(OperatorSetupService).pendingSetup, !('NO_COLOR' in process.env)));
  }
}

bootstrap().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
