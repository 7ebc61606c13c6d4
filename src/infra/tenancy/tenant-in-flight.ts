import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';

/**
 * How long this process keeps refusing a fenced tenant. Past it, the tenant is `deleting` in the
 * master database or gone, and every status cache entry from before the fence has expired
 * (TENANT_STATUS_TTL_MS and LOCAL_CACHE_TTL_MS are at most 5 min), so the status check alone refuses it.
 */
const FENCE_HOLD_MS = 10 * 60_000;

/**
 * Counts requests (and jobs) in progress per tenant in this process, and fences tenants being
 * deleted: once fenced, no new request or job of the tenant starts here (`enter` refuses it,
 * whatever a stale status cache said to the guards a moment before), so after `drain` nothing of
 * this process can write to its database. Work already entered is let finish, not cut mid-way:
 * a tenant context (hence a tenant model) exists only inside `enter`, so draining the count
 * covers every write. Refusing again at each database call would need no more than a lookup
 * here, but would fail jobs that deletion is documented to wait for.
 */
@Injectable()
export class TenantInFlight {
  private readonly counts = new Map<string, number>();
  private readonly fenced = new Map<string, number>();

  /** Starts a unit of work in the tenant; call the returned function when it ends. */
  enter(tenantId: string): () => void {
    this.assertServed(tenantId);
    this.counts.set(tenantId, (this.counts.get(tenantId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(tenantId) ?? 1) - 1;
      if (left <= 0) this.counts.delete(tenantId);
      else this.counts.set(tenantId, left);
    };
  }

  count(tenantId: string): number {
    return this.counts.get(tenantId) ?? 0;
  }

  /** From now on this process refuses the tenant (see FENCE_HOLD_MS). Idempotent. */
  fence(tenantId: string): void {
    this.fenced.set(tenantId, Date.now() + FENCE_HOLD_MS);
  }

  isFenced(tenantId: string): boolean {
    const until = this.fenced.get(tenantId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.fenced.delete(tenantId);
    return false;
  }

  /** Throws the tenant-not-found error when the tenant is fenced (being deleted). */
  assertServed(tenantId: string): void {
    if (this.isFenced(tenantId)) throw AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
  }

  /**
   * Resolves true when no request of the tenant is in progress here, false if some still are
   * after `timeoutMs` (the caller must then not drop the tenant's database).
   */
  async drain(tenantId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(tenantId) > 0) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return true;
  }
}
