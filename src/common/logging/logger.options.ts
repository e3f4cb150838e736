import { Logger, PinoLogger, type Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import { prettyStream } from './pretty-stream';
import { QuietStartupLogger } from './quiet-startup.logger';

/**
 * Whether logs are for a person at a terminal: standard output is a terminal and the service does not
 * run in production. Otherwise (production, or output piped to a file or a log collector) they are
 * JSON lines, one per event.
 */
export function humanReadableLogs(stdout: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stdout.isTTY === true && env.NODE_ENV !== 'production';
}

/** Each event carries the request id; credentials never reach the log. */
export function loggerOptions(level: string, humanReadable = humanReadableLogs()): Params {
  const options: Options = {
    level,
    genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id: string }).id,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
    // An upload form's CSRF token travels in its query.
    serializers: { req: (request: { url?: string }) => ({ ...request, url: request.url?.replace(/([?&]_csrf=)[^&]*/, '$1[Redacted]') }) },
    autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
  };
  return { pinoHttp: humanReadable ? [options, prettyStream()] : options };
}

/**
 * The application's logger before the application exists, so that start-up lines are written as they
 * happen; Nest's buffer would stamp them all with the time it was flushed. The logging module then
 * reuses the same pino logger (nestjs-pino keeps one per process).
 */
export function startupLogger(level: string): QuietStartupLogger {
  const params = loggerOptions(level);
  return new QuietStartupLogger(new Logger(new PinoLogger(params), params));
}
