/**
 * Database name of a tenant, derived from its id (24 hex chars), so routing a request needs no
 * lookup. Fits FerretDB's `[A-Za-z0-9_-]{1,63}` and MongoDB's rules alike.
 */
export function tenantDbName(tenantId: string): string {
  if (!/^[0-9a-f]{24}$/.test(tenantId)) throw new Error(`invalid tenant id for a database name: ${tenantId}`);
  return `t_${tenantId}`;
}
