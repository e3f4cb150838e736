import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  MinLength,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';

const HASH_LIST_PAIR = '[A-Za-z0-9._-]{1,100}=https?://[^\\s,]+';
const HASH_LIST_URLS_PATTERN = new RegExp(`^\\s*${HASH_LIST_PAIR}([\\s,]+${HASH_LIST_PAIR})*[\\s,]*$`);

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** `true`/`1` and `false`/`0` (any case); unset is false; anything else is left for the validator to name. */
function parseBoolean(value: unknown): unknown {
  if (value === undefined || value === '') return false;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return value;
}

/** Every setting Adhere reads from its environment; the README documents each one. */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt({ message: 'PORT must be a port number from 0 to 65535' })
  @Min(0, { message: 'PORT must be a port number from 0 to 65535' })
  @Max(65535, { message: 'PORT must be a port number from 0 to 65535' })
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['postgres', 'postgresql'], require_protocol: true })
  DATABASE_URL?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 10 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Transform(({ value }) => (value === undefined || value === '' ? './data' : value))
  @IsString()
  DATA_DIR = './data';

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.SESSION_SECRET !== undefined)
  @IsString({ message: 'SESSION_SECRET is required when NODE_ENV=production' })
  @MinLength(32, { message: 'SESSION_SECRET must be set (it is required when NODE_ENV=production) and at least 32 characters long' })
  SESSION_SECRET?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.OPERATOR_EMAIL !== undefined || env.OPERATOR_PASSWORD !== undefined)
  @IsEmail({}, { message: 'OPERATOR_EMAIL must be an email address (it is required when OPERATOR_PASSWORD is set)' })
  OPERATOR_EMAIL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.OPERATOR_EMAIL !== undefined || env.OPERATOR_PASSWORD !== undefined)
  @IsString({ message: 'OPERATOR_PASSWORD is required when OPERATOR_EMAIL is set' })
  @MinLength(12, { message: 'OPERATOR_PASSWORD must be at least 12 characters long' })
  @MaxLength(256, { message: 'OPERATOR_PASSWORD must be at most 256 characters long' })
  OPERATOR_PASSWORD?: string;

  /** Which proxies may tell the client's address and protocol (Express "trust proxy"). */
  @Transform(({ value }) => (value === undefined || value === '' ? 'loopback' : value))
  @IsString()
  TRUST_PROXY = 'loopback';

  @Transform(({ value }) => (value === undefined || value === '' ? 'info' : value))
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  @Transform(({ value }) => (value === undefined || value === '' ? 15 : Number(value)))
  @IsInt()
  @Min(1)
  LOGIN_LOCK_MINUTES = 15;

  /** The largest evidence file a provider may upload, in bytes (the rest of the form is not counted). */
  @Transform(({ value }) => (value === undefined || value === '' ? 104_857_600 : Number(value)))
  @IsInt({ message: 'UPLOAD_MAX_BYTES must be a whole number of bytes, at least 1' })
  @Min(1, { message: 'UPLOAD_MAX_BYTES must be a whole number of bytes, at least 1' })
  UPLOAD_MAX_BYTES = 104_857_600;

  /** Where evidence files are kept: under DATA_DIR on this machine, or in an S3-compatible bucket. */
  @Transform(({ value }) => (value === undefined || value === '' ? 'filesystem' : value))
  @IsIn(['filesystem', 's3'], { message: 'STORAGE_DRIVER must be filesystem or s3' })
  STORAGE_DRIVER: 'filesystem' | 's3' = 'filesystem';

  /** Only for S3-compatible stores; unset means AWS itself. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'S3_ENDPOINT must be an http or https URL' })
  S3_ENDPOINT?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 'us-east-1' : value))
  @Matches(/^[a-z0-9-]+$/, { message: 'S3_REGION must be a region name such as us-east-1' })
  S3_REGION = 'us-east-1';

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.STORAGE_DRIVER === 's3' || env.S3_BUCKET !== undefined)
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'S3_BUCKET must be a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens (it is required when STORAGE_DRIVER=s3)',
  })
  S3_BUCKET?: string;

  // Both or neither: without them the SDK's default chain (environment, profile, instance role) applies.
  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.S3_ACCESS_KEY_ID !== undefined || env.S3_SECRET_ACCESS_KEY !== undefined)
  @IsString({ message: 'S3_ACCESS_KEY_ID is required when S3_SECRET_ACCESS_KEY is set' })
  S3_ACCESS_KEY_ID?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.S3_ACCESS_KEY_ID !== undefined || env.S3_SECRET_ACCESS_KEY !== undefined)
  @IsString({ message: 'S3_SECRET_ACCESS_KEY is required when S3_ACCESS_KEY_ID is set' })
  S3_SECRET_ACCESS_KEY?: string;

  /** Path-style URLs (endpoint/bucket/key), which most self-hosted S3-compatible stores need. */
  @Transform(({ value }) => parseBoolean(value))
  @IsBoolean({ message: 'S3_FORCE_PATH_STYLE must be true or false' })
  S3_FORCE_PATH_STYLE = false;

  /** Where notifications are e-mailed through; unset, they are written to the log instead. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['smtp', 'smtps'], require_protocol: true }, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 'Adhere <no-reply@localhost>' : value))
  @IsEmail({ allow_display_name: true, require_tld: false }, { message: 'MAIL_FROM must be an e-mail address, optionally with a name: Adhere <no-reply@example.org>' })
  MAIL_FROM = 'Adhere <no-reply@localhost>';

  /** How often each instance looks for notifications to deliver; 0 turns the polling off. */
  @Transform(({ value }) => (value === undefined || value === '' ? 15 : Number(value)))
  @IsInt({ message: 'NOTIFICATION_POLL_SECONDS must be a whole number of seconds from 0 to 86400' })
  @Min(0, { message: 'NOTIFICATION_POLL_SECONDS must be a whole number of seconds from 0 to 86400' })
  @Max(86_400, { message: 'NOTIFICATION_POLL_SECONDS must be a whole number of seconds from 0 to 86400' })
  NOTIFICATION_POLL_SECONDS = 15;

  /** How often each instance runs the expiry and reminder job (one instance at a time does the work); 0 turns it off. */
  @Transform(({ value }) => (value === undefined || value === '' ? 3600 : Number(value)))
  @IsInt({ message: 'EXPIRY_JOB_SECONDS must be a whole number of seconds from 0 to 86400' })
  @Min(0, { message: 'EXPIRY_JOB_SECONDS must be a whole number of seconds from 0 to 86400' })
  @Max(86_400, { message: 'EXPIRY_JOB_SECONDS must be a whole number of seconds from 0 to 86400' })
  EXPIRY_JOB_SECONDS = 3600;

  /**
   * The register's Ed25519 signing key, as a PKCS#8 PEM; unset, one is generated into DATA_DIR on
   * first start. Giving a new one rotates the key: the old public keys stay published.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----\s*$/, { message: 'REGISTER_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM form (-----BEGIN PRIVATE KEY-----)' })
  REGISTER_SIGNING_KEY?: string;

  /** How many complaints one client may file in an hour, across all entries. */
  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt({ message: 'COMPLAINTS_PER_HOUR must be a whole number from 1 to 10000' })
  @Min(1, { message: 'COMPLAINTS_PER_HOUR must be a whole number from 1 to 10000' })
  @Max(10_000, { message: 'COMPLAINTS_PER_HOUR must be a whole number from 1 to 10000' })
  COMPLAINTS_PER_HOUR = 5;

  /**
   * Hash lists fetched at start and refreshed every HASH_LIST_REFRESH_SECONDS: `name=url` pairs separated
   * by spaces, commas or line breaks, each url http or https, each name used once.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(HASH_LIST_URLS_PATTERN, { message: 'HASH_LIST_URLS must be name=url pairs (name: letters, digits, dots, dashes, underscores; url: http or https) separated by spaces or commas' })
  HASH_LIST_URLS?: string;

  /** How often each instance refreshes the hash lists of HASH_LIST_URLS (one instance at a time does it); 0 fetches them at start only. */
  @Transform(({ value }) => (value === undefined || value === '' ? 3600 : Number(value)))
  @IsInt({ message: 'HASH_LIST_REFRESH_SECONDS must be a whole number of seconds from 0 to 86400' })
  @Min(0, { message: 'HASH_LIST_REFRESH_SECONDS must be a whole number of seconds from 0 to 86400' })
  @Max(86_400, { message: 'HASH_LIST_REFRESH_SECONDS must be a whole number of seconds from 0 to 86400' })
  HASH_LIST_REFRESH_SECONDS = 3600;
}

/** The lists HASH_LIST_URLS names, in order. */
export function hashListUrls(setting: string | undefined): Array<{ name: string; url: string }> {
  return (setting ?? '')
    .split(/[\s,]+/)
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), url: pair.slice(at + 1) };
    });
}

/** Validates the raw environment; the thrown message names every wrong variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const problems = Object.values(error.constraints ?? {}).join('; ');
      return `  ${error.property}: ${problems}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
