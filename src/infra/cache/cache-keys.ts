/**
 * The only way to build a cache key. Every key starts with its scope: a tenant id, or
 * `platform` for control-plane data that belongs to no tenant, so one tenant's entry can
 * never answer another tenant's read (Nest's stock CacheInterceptor keys by URL only).
 */
export type CacheScope = { tenantId: string } | { platform: true };

export function cacheKey(scope: CacheScope, kind: string, id: string): string {
  const prefix = 'tenantId' in scope ? `t:${scope.tenantId}` : 'platform';
  return `${prefix}:${kind}:${id}`;
}
