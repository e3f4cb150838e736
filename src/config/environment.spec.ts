import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, DATA_DIR: './data', DATABASE_POOL_SIZE: 10, LOG_LEVEL: 'info', TRUST_PROXY: 'loopback' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SESSION_SECRET).toBeUndefined();
  });

  it('stores evidence on the filesystem, up to 100 MiB a file, unless told otherwise', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({ UPLOAD_MAX_BYTES: 104_857_600, STORAGE_DRIVER: 'filesystem', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false });
    expect(env.S3_BUCKET).toBeUndefined();
    expect(env.S3_ENDPOINT).toBeUndefined();
  });

  it('accepts an S3-compatible store', () => {
    const env = validateEnvironment({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'adhere-evidence',
      S3_ENDPOINT: 'http://minio.internal:9000',
      S3_REGION: 'eu-central-1',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
      UPLOAD_MAX_BYTES: '1073741824',
    });
    expect(env).toMatchObject({ STORAGE_DRIVER: 's3', S3_BUCKET: 'adhere-evidence', S3_FORCE_PATH_STYLE: true, UPLOAD_MAX_BYTES: 1_073_741_824 });
  });

  it('leaves S3 credentials to the SDK when neither is set', () => {
    const env = validateEnvironment({ STORAGE_DRIVER: 's3', S3_BUCKET: 'evidence', S3_FORCE_PATH_STYLE: '0' });
    expect(env.S3_ACCESS_KEY_ID).toBeUndefined();
    expect(env.S3_SECRET_ACCESS_KEY).toBeUndefined();
    expect(env.S3_FORCE_PATH_STYLE).toBe(false);
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
    [{ UPLOAD_MAX_BYTES: '0' }, 'UPLOAD_MAX_BYTES'],
    [{ UPLOAD_MAX_BYTES: '1.5' }, 'UPLOAD_MAX_BYTES'],
    [{ UPLOAD_MAX_BYTES: '100MB' }, 'UPLOAD_MAX_BYTES'],
    [{ STORAGE_DRIVER: 'gcs' }, 'STORAGE_DRIVER'],
    [{ STORAGE_DRIVER: 's3' }, 'S3_BUCKET'],
    [{ STORAGE_DRIVER: 's3', S3_BUCKET: 'Not A Bucket' }, 'S3_BUCKET'],
    [{ S3_ENDPOINT: 'ftp://files.example.org' }, 'S3_ENDPOINT'],
    [{ S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT'],
    [{ S3_REGION: 'EU Central' }, 'S3_REGION'],
    [{ S3_ACCESS_KEY_ID: 'key' }, 'S3_SECRET_ACCESS_KEY'],
    [{ S3_SECRET_ACCESS_KEY: 'secret' }, 'S3_ACCESS_KEY_ID'],
    [{ S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE'],
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
