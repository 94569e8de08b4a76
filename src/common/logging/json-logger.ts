import type { LoggerService, LogLevel } from '@nestjs/common';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** Keys whose values never reach a log line, at any depth. */
const SECRET_KEY = /password|secret|token|authorization|cookie|csrf|otp|jwt|^code$|hash$/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(inner, depth + 1);
  }
  return out;
}

/** Structured JSON lines on stdout, one object per event. */
export class JsonLogger implements LoggerService {
  /** Where lines go; tests replace it to inspect every line written. */
  static sink: (line: string) => void = (line) => process.stdout.write(line + '\n');

  private readonly threshold: number;

  constructor(level: Level | 'silent' = 'info') {
    this.threshold = level === 'silent' ? Infinity : LEVELS.indexOf(level);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  setLogLevels(_levels: LogLevel[]): void {}

  /** Structured event: `logger.event('info', 'http.request', { ... })`. */
  event(level: Level, msg: string, fields: Record<string, unknown>): void {
    if (LEVELS.indexOf(level) < this.threshold) return;
    this.emit({ time: new Date().toISOString(), level, msg, ...(redact(fields) as object) });
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (LEVELS.indexOf(level) < this.threshold) return;
    // Nest passes the context as the last string argument.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
    if (context) entry.context = context;
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      Object.assign(entry, redact(message));
    } else {
      entry.msg = message instanceof Error ? message.message : String(message);
    }
    if (rest.length > 0) entry.extra = redact(rest);
    this.emit(entry);
  }

  private emit(entry: Record<string, unknown>): void {
    JsonLogger.sink(JSON.stringify(entry));
  }
}
