import { Writable } from 'node:stream';
import { prettyStream } from './pretty-stream';

/** What a terminal shows for these JSON log lines, without colours. */
function shown(...events: object[]): string[] {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const stream = prettyStream(destination);
  for (const event of events) stream.write(`${JSON.stringify(event)}\n`);
  // eslint-disable-next-line no-control-regex
  return output.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().split('\n');
}

describe('logs at a terminal', () => {
  const time = new Date(2031, 4, 6, 7, 8, 9, 123).getTime();

  it('show the time the event happened, its level, where it came from and what it says, on one line', () => {
    const lines = shown({ level: 40, time, pid: 42, hostname: 'host', context: 'Setup', msg: 'No operator account exists yet.' });
    expect(lines).toEqual(['[07:08:09.123] WARN: [Setup] No operator account exists yet.']);
  });

  it('show a request as its method, path, status and duration, with its id', () => {
    const lines = shown({
      level: 30,
      time,
      req: { id: 'f00d', method: 'GET', url: '/register?q=tool', headers: { host: 'localhost' } },
      res: { statusCode: 200, headers: {} },
      responseTime: 12,
      msg: 'request completed',
    });
    expect(lines).toEqual(['[07:08:09.123] INFO: GET /register?q=tool 200 in 12 ms (request f00d)']);
  });

  it('name the request a line was logged during', () => {
    const lines = shown({ level: 30, time, req: { id: 'beef', method: 'POST', url: '/x' }, context: 'Mail', msg: 'Sent' });
    expect(lines).toEqual(['[07:08:09.123] INFO: [Mail] Sent (request beef)']);
  });

  it('keep an error’s stack', () => {
    const lines = shown({ level: 50, time, context: 'Jobs', msg: 'Expiry failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at run (jobs.ts:1:1)' } });
    expect(lines[0].trimEnd()).toBe('[07:08:09.123] ERROR: [Jobs] Expiry failed');
    expect(lines.join('\n')).toContain('at run (jobs.ts:1:1)');
  });
});
