import type { LoggerService } from '@nestjs/common';

type Logger = Required<Omit<LoggerService, 'setLogLevels'>>;

/** Nest's own start-up details: a line per module, per controller and per route, some 270 in all. */
const START_UP_DETAILS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The application's logger, with Nest's start-up details at debug level instead of info, so that a
 * start shows what an operator acts on; LOG_LEVEL=debug shows them again. Nest passes a line's
 * context as its last argument.
 */
export class QuietStartupLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    if (START_UP_DETAILS.has(params.at(-1) as string)) this.logger.debug(message, ...params);
    else this.logger.log(message, ...params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.logger.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.verbose(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.logger.fatal(message, ...params);
  }
}
