import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, DATA_DIR: './data', DATABASE_POOL_SIZE: 10, LOG_LEVEL: 'info', TRUST_PROXY: 'loopback' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SESSION_SECRET).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'localhost:3000' }, 'PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://db/adhere' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ SESSION_SECRET: 'too short' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ OPERATOR_EMAIL: 'operator@example.org' }, 'OPERATOR_PASSWORD'],
    [{ OPERATOR_PASSWORD: 'a long enough password' }, 'OPERATOR_EMAIL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %j and names %s', (raw, variable) => {
    expect(() => validateEnvironment(raw)).toThrow(new RegExp(`^Invalid configuration:\\n  ${variable}: `));
  });

  it('accepts a production configuration', () => {
    const env = validateEnvironment({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://adhere@db.internal:5432/adhere',
      PUBLIC_URL: 'https://adhere.example.org',
      OPERATOR_EMAIL: 'operator@example.org',
      OPERATOR_PASSWORD: 'a long enough password',
    });
    expect(env.PORT).toBe(3000);
  });
});
