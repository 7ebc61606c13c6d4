import { Injectable } from '@nestjs/common';

/** Counts requests in progress per tenant (this process), so tenant deletion can drain them. */
@Injectable()
export class TenantInFlight {
  private readonly counts = new Map<string, number>();

  enter(tenantId: string): () => void {
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

  /** Resolves when no request of the tenant is in progress here, or after `timeoutMs`. */
  async drain(tenantId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(tenantId) > 0) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return true;
  }
}
