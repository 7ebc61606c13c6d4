import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { REDIS_CLIENT } from '../cache/cache.tokens';
import type { RedisClient } from '../cache/redis-client';
import { RedisSubscriber } from '../cache/redis-subscriber.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TenantInFlight } from './tenant-in-flight';

/** How long past the drain time the requester waits for the last acknowledgement. */
const ACK_SLACK_MS = 2000;

interface FenceRequest {
  fence: string;
  tenant: string;
  drainMs: number;
}

interface FenceAck {
  fence: string;
  instance: string;
  drained: boolean;
}

export type FenceOutcome = { fenced: true; instances: number } | { fenced: false; reason: string };

/**
 * Fences a tenant on every instance before its database is dropped (tenant deletion).
 *
 * Marking the tenant `deleting` and dropping its cached status is not enough with several
 * instances: another instance may hold a request that passed the status check a moment earlier
 * and writes after the drop, which re-creates the database (a zombie). So the deleting instance
 * publishes "fence tenant X" on a Redis channel; each instance (itself included) fences X locally
 * (TenantInFlight: new requests and jobs refused, database calls of running ones refused, status
 * answered `deleting` whatever the cache says), waits for its own in-flight requests of X, and
 * acknowledges. PUBLISH returns how many subscribers received the message, which is how many
 * acknowledgements are awaited: an instance that is not subscribed at that moment is not counted.
 * One that boots later reads `deleting` from the master database (the cache was dropped before).
 *
 * Without REDIS_URL the process is the only instance (README: several instances need Redis for
 * their shared cache), so fencing and draining locally is exact. With REDIS_URL set but Redis
 * unusable, other instances cannot be reached: the fence fails and the caller must not drop.
 * Residual risk, documented: an instance whose subscription is cut off from Redis at that moment
 * (while its own requests run) is not counted; it reads statuses from MongoDB while its cache is
 * off, so only a request that passed the status check before `deleting` was written is exposed.
 */
@Injectable()
export class TenantFence implements OnModuleInit {
  private readonly instance = randomUUID();
  private readonly channel: string;
  private readonly ackChannel: string;
  private readonly waiters = new Map<string, (ack: FenceAck) => void>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    private readonly inFlight: TenantInFlight,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly subscriber: RedisSubscriber,
  ) {
    // Namespaced by deployment, like the cache: two deployments may share a Redis.
    this.channel = `${config.masterDbName}:tenant-fence`;
    this.ackChannel = `${config.masterDbName}:tenant-fence-ack`;
  }

  onModuleInit(): void {
    // On the process's one subscriber connection (shared with the cache invalidations).
    this.subscriber.subscribe(this.channel, this.onFenceRequest);
    this.subscriber.subscribe(this.ackChannel, this.onAck);
  }

  /**
   * Every instance stops serving the tenant and drains its requests of it. `fenced: true` only
   * when each instance that received the request acknowledged a complete drain within the time.
   */
  async everywhere(tenantId: string, drainMs: number): Promise<FenceOutcome> {
    // This process first, at once, whatever happens with Redis.
    this.inFlight.fence(tenantId);
    if (!this.redis) {
      const drained = await this.inFlight.drain(tenantId, drainMs);
      return drained ? { fenced: true, instances: 1 } : { fenced: false, reason: 'requests still in flight' };
    }
    if (!this.redis.isReady || !this.subscriber.live)
      return { fenced: false, reason: 'Redis unavailable: other instances cannot be reached' };

    const request: FenceRequest = { fence: randomUUID(), tenant: tenantId, drainMs };
    const acks = new Map<string, boolean>();
    let wake = (): void => undefined;
    this.waiters.set(request.fence, (ack) => {
      acks.set(ack.instance, ack.drained);
      wake();
    });
    try {
      const receivers = await this.redis.publish(this.channel, JSON.stringify(request));
      const deadline = Date.now() + drainMs + ACK_SLACK_MS;
      while (acks.size < receivers && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
        });
      }
      if (acks.size < receivers) return { fenced: false, reason: `${acks.size}/${receivers} instances answered` };
      if ([...acks.values()].some((drained) => !drained)) return { fenced: false, reason: 'requests still in flight' };
      return { fenced: true, instances: receivers };
    } catch (err) {
      return { fenced: false, reason: `Redis failed (${(err as Error).name})` };
    } finally {
      this.waiters.delete(request.fence);
    }
  }

  private readonly onFenceRequest = (message: string): void => {
    const request = parse<FenceRequest>(message);
    if (!request || typeof request.tenant !== 'string' || typeof request.drainMs !== 'number') return;
    this.inFlight.fence(request.tenant);
    void this.inFlight.drain(request.tenant, request.drainMs).then((drained) => {
      const ack: FenceAck = { fence: request.fence, instance: this.instance, drained };
      // A lost acknowledgement makes the requester time out and keep the database: safe.
      return this.redis?.publish(this.ackChannel, JSON.stringify(ack)).catch(() => undefined);
    });
  };

  private readonly onAck = (message: string): void => {
    const ack = parse<FenceAck>(message);
    if (ack) this.waiters.get(ack.fence)?.(ack);
  };
}

function parse<T>(message: string): T | null {
  try {
    return JSON.parse(message) as T;
  } catch {
    return null;
  }
}
