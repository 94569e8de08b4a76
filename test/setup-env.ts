// Runs before every test file: a quiet, deterministic environment.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.RATE_LIMIT_PER_MINUTE ??= '100000';
process.env.TZ = 'UTC';
process.env.SCHEDULER_ENABLED ??= 'false';
