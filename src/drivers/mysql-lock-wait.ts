// MySQL/MariaDB take lock waits (lock_wait_timeout, innodb_lock_wait_timeout)
// in whole seconds; plumb's lock timeouts are milliseconds. Pure, and free of
// mysql2, so plan-side code may use it.

/** Seconds for a lock timeout in milliseconds: rounded up, at least one. */
export function mysqlLockWaitSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
