/**
 * The SQL condition for a claim scope: `tick:*` matches every scope starting with
 * `tick:` (LIKE, with its wildcards escaped); anything else matches exactly.
 * `param` is the placeholder: `?` in SQLite, `$1` in PostgreSQL.
 */
export function scopeCondition(scope: string, param: string): { sql: string; value: string } {
  if (!scope.endsWith('*')) return { sql: `scope = ${param}`, value: scope };
  return { sql: `scope LIKE ${param} ESCAPE '\\'`, value: `${scope.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}
