/**
 * What the bare server answers, and with which SQL: the harness captures the statements the
 * real application issues for one request of each endpoint (TypeORM's query log, see
 * full-server.ts) and hands them over in this shape.
 */

export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

/** How the bare server treats one captured statement on each request. */
export interface PlannedStatement extends CapturedStatement {
  /**
   * Per parameter index: the ids the application generated for that request (a new row's
   * primary key, the request id, ids quoted inside JSON summaries). The bare server puts fresh
   * random UUIDs in their place, the same new id wherever the old one occurred.
   */
  fresh?: Record<number, string[]>;
  /** The audit chain append: seq, prev hash and hash are computed from the chain head. */
  auditInsert?: boolean;
}

export interface PlannedRoute {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Exact path with query string, as autocannon sends it. */
  path: string;
  /** null: public. Otherwise the roles the route's @Roles()/@Auth() admits. */
  roles: string[] | null;
  /**
   * replay: run `statements` in order (a transaction when they hold one); firm-update: the
   * profile edit, whose statements depend on the row it reads and on the request body.
   */
  kind: 'replay' | 'firm-update';
  status: number;
  statements: PlannedStatement[];
}

export interface Plan {
  dialect: 'sqlite' | 'postgres';
  /** The two statements of the per-request session check (SessionService.authenticate). */
  sessionSql: string;
  userSql: string;
  routes: PlannedRoute[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Is this statement the session or user lookup of the access guard? */
export function isAuthStatement(sql: string): 'session' | 'user' | null {
  if (/FROM "sessions" "Session" WHERE \(\("Session"\."id" = /.test(sql)) return 'session';
  if (/FROM "users" "User" WHERE \(\("User"\."id" = [?$][0-9]*\)\) LIMIT 1$/.test(sql))
    return 'user';
  return null;
}

/**
 * Marks, in the statements one request issued, the ids that request generated: UUIDs first seen
 * in an INSERT's parameters (not in the URL, not in any earlier statement). Also marks the
 * audit chain append.
 */
export function planStatements(path: string, captured: CapturedStatement[]): PlannedStatement[] {
  const known = new Set(path.match(UUID) ?? []);
  const generated = new Set<string>();
  for (const statement of captured) {
    const isInsert = /^\s*INSERT\b/i.test(statement.sql);
    for (const param of statement.params) {
      if (typeof param !== 'string') continue;
      for (const id of param.match(UUID) ?? []) {
        if (known.has(id)) continue;
        if (isInsert) generated.add(id);
        known.add(id);
      }
    }
  }
  return captured.map((statement) => {
    const fresh: Record<number, string[]> = {};
    statement.params.forEach((param, index) => {
      if (typeof param !== 'string') return;
      const ids = (param.match(UUID) ?? []).filter((id) => generated.has(id));
      if (ids.length > 0) fresh[index] = [...new Set(ids)];
    });
    const planned: PlannedStatement = { ...statement };
    if (Object.keys(fresh).length > 0) planned.fresh = fresh;
    if (/^\s*INSERT INTO "audit_events"/.test(statement.sql)) planned.auditInsert = true;
    return planned;
  });
}
