import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isTransactionConflict } from './transaction-conflict';

function databaseError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

describe('isTransactionConflict', () => {
  it.each([
    ['40P01', 'deadlock detected'],
    ['40001', 'could not serialize access due to concurrent update'],
  ])('recognises SQLSTATE %s, also inside TypeORM’s QueryFailedError', (code, message) => {
    expect(isTransactionConflict(databaseError(code, message))).toBe(true);
    expect(isTransactionConflict(new QueryFailedError('UPDATE answers', [], databaseError(code, message)))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isTransactionConflict(new QueryFailedError('INSERT', [], databaseError('23505', 'duplicate key value')))).toBe(false);
    expect(isTransactionConflict(databaseError('55P03', 'could not obtain lock on row'))).toBe(false);
    expect(isTransactionConflict(new Error('deadlock detected'))).toBe(false);
    expect(isTransactionConflict(undefined)).toBe(false);
  });
});
