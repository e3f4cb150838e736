import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../../config/app-config.service';

/** One JSON line per event, each carrying the request id; credentials never reach the log. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id: string }).id,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
      // An upload form's CSRF token travels in its query.
      serializers: { req: (request: { url?: string }) => ({ ...request, url: request.url?.replace(/([?&]_csrf=)[^&]*/, '$1[Redacted]') }) },
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
    },
  };
}
