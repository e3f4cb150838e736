import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import session from 'express-session';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import passport from 'passport';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { sessionLimits } from './auth/session-limits.middleware';
import { IDLE_LIMIT_MS } from './auth/session-activity';
import { lastingEndSessionStore } from './auth/session-store';
import { QuietStartupLogger } from './common/logging/quiet-startup.logger';
import { projectRoot } from './common/project-root';
import { registerViewHelpers } from './web/view-helpers';
import { pageLocals } from './web/page-locals.middleware';
import { privateAnswers } from './common/web/private-answers.middleware';
import { requestId } from './common/web/request-id.middleware';
import { saveSessionBeforeRedirect } from './common/web/session-before-redirect.middleware';
import { AppConfig } from './config/app-config.service';
import { SessionSecret } from './config/session-secret.provider';


/** Everything an Adhere application needs around its modules: the same for `npm start` and the tests. */
export function configureApp(nest: INestApplication): NestExpressApplication {
  const app = nest as NestExpressApplication;
  const config = app.get(AppConfig);
  const root = projectRoot();

  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  app.disable('x-powered-by');
  // Behind a load balancer, the client's address (sign-in limits) and https (Secure cookies) come from it.
  app.set('trust proxy', config.trustProxy);
  app.use(requestId);
  // Registered here rather than by Nest's defaults, for one reason: a section of a large code is one
  // form of many fields. Files are multipart data, streamed by the routes that take them.
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: true, limit: '4mb', parameterLimit: 20_000 });
  // Code versions are imported as YAML documents, and answers as CSV.
  app.useBodyParser('text', { type: ['application/yaml', 'application/x-yaml', 'text/yaml'], limit: '1mb' });
  app.useBodyParser('text', { type: ['text/csv'], limit: '5mb' });
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: config.secureCookies ? [] : null,
  };
  // Swagger UI's page carries a few inline styles of its own; only there are inline styles allowed.
  // No address leaves for another site, but a form sent to this one names its origin: under
  // `no-referrer` browsers send `Origin: null`, which the check of writes from other sites refuses.
  const referrerPolicy = { policy: 'same-origin' as const };
  const documentationHeaders = helmet({ contentSecurityPolicy: { directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] } }, referrerPolicy });
  const pageHeaders = helmet({ contentSecurityPolicy: { directives }, referrerPolicy });
  app.use((request: Request, response: Response, next: NextFunction) =>
    (request.path.startsWith('/api/docs') ? documentationHeaders : pageHeaders)(request, response, next),
  );

  // Before the session: the same files for everyone, cacheable, and no session read to serve them.
  app.useStaticAssets(join(root, 'node_modules', '@picocss', 'pico', 'css'), { prefix: '/assets/pico/' });
  // The browser half of WebAuthn, as its package builds it, for the passkey pages' script.
  app.useStaticAssets(join(root, 'node_modules', '@simplewebauthn', 'browser', 'dist', 'bundle'), { prefix: '/assets/webauthn/' });
  app.useStaticAssets(join(root, 'views', 'assets'), { prefix: '/assets/' });
  app.use(privateAnswers);
  // Sessions live in PostgreSQL, in the application's own connection pool, so every instance shares them.
  const pool = (app.get(DataSource).driver as PostgresDriver).master as Pool;
  app.use(
    session({
      name: 'adhere.sid',
      secret: app.get(SessionSecret).value,
      store: lastingEndSessionStore(pool),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: IDLE_LIMIT_MS },
    }),
  );
  app.use(saveSessionBeforeRedirect);
  app.use(sessionLimits);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(pageLocals);

  app.setBaseViewsDir(join(root, 'views'));
  app.setViewEngine('hbs');
  registerViewHelpers(join(root, 'views', 'partials'));

  const openApi = new DocumentBuilder()
    .setTitle('Adhere API')
    .setDescription('Declarations of adherence to codes of conduct, their verification and the public register.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An organization API token (adh_…)' }, 'token')
    .addCookieAuth('adhere.sid', { type: 'apiKey', in: 'cookie' }, 'session')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'api/docs/openapi.json' });

  app.enableShutdownHooks();
  return app;
}
