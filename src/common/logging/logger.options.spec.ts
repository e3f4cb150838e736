import { Writable } from 'node:stream';
import { Logger, PinoLogger, type Params } from 'nestjs-pino';
import { humanReadableLogs, loggerOptions } from './logger.options';
import { QuietStartupLogger } from './quiet-startup.logger';

describe('the log format', () => {
  it('is for a person only at a terminal outside production', () => {
    expect(humanReadableLogs({ isTTY: true }, { NODE_ENV: 'development' })).toBe(true);
    expect(humanReadableLogs({ isTTY: true }, {})).toBe(true);
    expect(humanReadableLogs({ isTTY: true }, { NODE_ENV: 'production' })).toBe(false);
    expect(humanReadableLogs({ isTTY: false }, { NODE_ENV: 'development' })).toBe(false);
    expect(humanReadableLogs({}, {})).toBe(false);
  });

  it('is JSON lines on standard output otherwise, and pretty lines through a stream at a terminal', () => {
    const json = loggerOptions('warn', false).pinoHttp;
    expect(Array.isArray(json)).toBe(false);
    expect(json).toMatchObject({ level: 'warn' });

    const pretty = loggerOptions('info', true).pinoHttp;
    expect(Array.isArray(pretty)).toBe(true);
    const [options, stream] = pretty as [object, { write: unknown }];
    expect(options).toMatchObject({ level: 'info' });
    expect(typeof stream.write).toBe('function');
  });
});

describe('Nest’s start-up details', () => {
  const written: Array<{ level: number; context?: string; msg: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().trim().split('\n')) written.push(JSON.parse(line));
      done();
    },
  });
  const params: Params = { pinoHttp: [{ level: 'debug' }, destination] };
  const logger = new QuietStartupLogger(new Logger(new PinoLogger(params), params));
  const levelOf = (msg: string) => written.find((line) => line.msg === msg)?.level;

  it('are at debug level: a line per module, per controller and per route', () => {
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('HomeController {/}:', 'RoutesResolver');
    logger.log('Mapped {/, GET} route', 'RouterExplorer');
    expect([levelOf('AppModule dependencies initialized'), levelOf('HomeController {/}:'), levelOf('Mapped {/, GET} route')]).toEqual([20, 20, 20]);
    expect(written.find((line) => line.msg === 'Mapped {/, GET} route')?.context).toBe('RouterExplorer');
  });

  it('leave every other line at the level it was logged with', () => {
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('Adhere is ready at http://localhost:3000', 'Bootstrap');
    logger.warn('No operator account exists yet.', 'Setup');
    logger.error('Something failed', 'Bootstrap');
    expect(levelOf('Nest application successfully started')).toBe(30);
    expect(levelOf('Adhere is ready at http://localhost:3000')).toBe(30);
    expect(levelOf('No operator account exists yet.')).toBe(40);
    expect(levelOf('Something failed')).toBe(50);
  });
});
