function driverCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const driver = (error as { driverError?: { code?: unknown } }).driverError;
  const code = driver?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** A unique index refused the row (MySQL/MariaDB or SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverCode(error);
  return (
    code === 'ER_DUP_ENTRY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** A row refers to one that is gone (a tenant, user or application deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = driverCode(error);
  return (
    code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    code === 'ER_NO_REFERENCED_ROW_2' ||
    code === 'ER_NO_REFERENCED_ROW'
  );
}

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_IOERR',
  // withDeadline, and the pool's own acquire and query deadlines (pool.deadlines.ts).
  'DEADLINE_EXCEEDED',
]);

/** The database could not be reached or could not answer: a 503, not a 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = driverCode(error);
  if (code !== null && UNAVAILABLE.has(code)) return true;
  return (
    error instanceof Error &&
    /connect ETIMEDOUT|Connection lost|Pool is closed|Can't add new command when connection is in closed state/.test(
      error.message,
    )
  );
}
