import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export type NodeEnv = 'development' | 'production' | 'test';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/**
 * Every setting the platform reads from the environment, validated once at start-up.
 * Nothing else in the code base reads process.env (except the column-type switch, which
 * must be known before entity decorators run).
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** postgres://user:pass@host:port/db switches from the embedded SQLite to PostgreSQL. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  SQLITE_PATH = './data/szifa.sqlite';

  /** Where generated secrets, uploads and keys live. */
  @IsString()
  DATA_DIR = './data';

  /** Signs JWTs and CSRF tokens. Generated and kept in DATA_DIR when absent (not in production). */
  @IsOptional()
  @MinLength(32)
  APP_SECRET?: string;

  /**
   * The association's Ed25519 private key (PKCS#8 PEM) that signs pledges and certificates.
   * Generated and kept in DATA_DIR/keys when absent.
   */
  @IsOptional()
  @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'must be a PKCS#8 PEM private key' })
  SIGNING_KEY_PEM?: string;

  @IsString()
  JWT_ISSUER = 'szifa-platform';

  @IsString()
  JWT_AUDIENCE = 'szifa-api';

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400 * 30)
  TOKEN_TTL_SECONDS = 8 * 3600;

  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL = 'http://localhost:3000';

  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'SZIFA 深圳市互联网金融协会 <no-reply@szifa.org.cn>';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_WINDOW_MINUTES = 15;

  @IsIn(['debug', 'info', 'warn', 'error', 'silent'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' | 'silent' = 'info';

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /** Run scheduled jobs (renewals, reminders, lapses) in this process. */
  @Transform(toBool)
  @IsBoolean()
  SCHEDULER_ENABLED = true;

  /** Days after the end of a membership year before unpaid dues make a membership lapse. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  DUES_GRACE_DAYS = 60;

  /** Days a member has to sign a newly published convention version, from its effective date. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  PLEDGE_RESIGN_DAYS = 30;

  /** Days after a credit rating is published during which the firm may appeal it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  RATING_APPEAL_DAYS = 15;

  /** Months a published credit rating stays valid before it expires. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36)
  RATING_VALIDITY_MONTHS = 12;

  /** Largest file a member may upload, in bytes (413 beyond it). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

  /** Run pending migrations when the server starts (the default). */
  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get usesPostgres(): boolean {
    return this.DATABASE_URL !== undefined;
  }
}

export class ConfigError extends Error {}

const TYPE_CONSTRAINTS = ['isInt', 'isBoolean', 'isIn', 'matches', 'isUrl', 'isString'];

/** The rejected value as it may be printed: secrets hidden, passwords inside URLs masked. */
function describeValue(property: string, value: unknown): string {
  if (property.includes('SECRET') || property.includes('KEY')) return '(hidden)';
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return JSON.stringify(value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@'));
  }
  return JSON.stringify(value);
}

/** Builds the config from an environment, or throws one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat([
    'DATABASE_URL',
    'APP_SECRET',
    'SMTP_URL',
    'SIGNING_KEY_PEM',
  ]);
  const raw: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  if (raw.PORT !== undefined && raw.PUBLIC_URL === undefined) {
    raw.PUBLIC_URL = `http://localhost:${raw.PORT}`;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = first.constraints ?? {};
    // A value of the wrong kind is named as such before any range check ("PORT must be an
    // integer", not "must not be greater than 65535" for PORT=abc).
    const key = TYPE_CONSTRAINTS.find((name) => name in constraints) ?? Object.keys(constraints)[0];
    const reason = (key && constraints[key]) || 'is invalid';
    const shown = describeValue(first.property, first.value);
    throw new ConfigError(
      `Invalid configuration: ${first.property} ${reason.replace(first.property + ' ', '')} (got ${shown})`,
    );
  }
  if (config.isProduction && !config.APP_SECRET) {
    throw new ConfigError(
      'Invalid configuration: APP_SECRET must be set in production (32+ characters)',
    );
  }
  return config;
}
