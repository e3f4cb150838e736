import { Client, DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';

function databaseError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection, as pg reports it', async () => {
    // Port 1 on loopback: nothing listens there.
    const client = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2_000 });
    const error = await client.connect().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeDefined();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
  ])('recognises SQLSTATE %s, also inside TypeORM’s QueryFailedError', (code, message) => {
    const driverError = databaseError(code, message);
    expect(isDatabaseUnavailable(driverError)).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], driverError))).toBe(true);
  });

  it('recognises the pool’s and the client’s own messages', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapper', { cause: new Error('Connection terminated due to connection timeout') }))).toBe(true);
  });

  it('recognises a statement sent on a connection TypeORM let go of when it broke', () => {
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
  });

  it('leaves errors in what was asked alone', () => {
    expect(isDatabaseUnavailable(new QueryFailedError('INSERT', [], databaseError('23505', 'duplicate key value')))).toBe(false);
    expect(isDatabaseUnavailable(databaseError('42P01', 'relation "x" does not exist'))).toBe(false);
    // A statement the server refused as malformed, e.g. with more bind parameters than the protocol allows.
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT', [], databaseError('08P01', 'bind message supplies 4464 parameters')))).toBe(false);
    expect(isDatabaseUnavailable(databaseError('40P01', 'deadlock detected'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
