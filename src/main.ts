import { Logger } from '@nestjs/common';
import { validateEnvironment } from './config/environment';

async function bootstrap(): Promise<void> {
  const started = Date.now();
  try {
    validateEnvironment(process.env);
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
  const app = configureApp(await NestFactory.create(AppModule, { bufferLogs: true, bodyParser: false }));
  const config = app.get(AppConfig);
  await app.listen(config.port);
  new Logger('Bootstrap').log(`Adhere is ready at ${config.publicUrl} (started in ${Date.now() - started} ms)`);
}

bootstrap().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
