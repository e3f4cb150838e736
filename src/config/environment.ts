import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MinLength,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

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
