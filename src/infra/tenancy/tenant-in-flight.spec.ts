import type { AppConfig } from '../config/app-config';
import { TenantFence } from './tenant-fence.service';
import { RedisSubscriber } from '../cache/redis-subscriber.service';
import { TenantInFlight } from './tenant-in-flight';

const TENANT = '0123456789abcdef01234567';

describe('TenantInFlight fence', () => {
  it('a fenced tenant is refused at entry; work entered before is counted until released', () => {
    const inFlight = new TenantInFlight();
    const release = inFlight.enter(TENANT);
    inFlight.fence(TENANT);
    expect(inFlight.isFenced(TENANT)).toBe(true);
    expect(() => inFlight.enter(TENANT)).toThrow(expect.objectContaining({ status: 404, code: 'TENANT_NOT_FOUND' }));
    expect(inFlight.count(TENANT)).toBe(1);
    release();
    expect(inFlight.count(TENANT)).toBe(0);
    expect(inFlight.isFenced('fedcba9876543210fedcba98')).toBe(false);
  });

  it('drain answers false while work is still in flight after the time', async () => {
    const inFlight = new TenantInFlight();
    const release = inFlight.enter(TENANT);
    expect(await inFlight.drain(TENANT, 60)).toBe(false);
    release();
    expect(await inFlight.drain(TENANT, 60)).toBe(true);
  });
});

describe('TenantFence without Redis (single instance)', () => {
  const fenceWith = (inFlight: TenantInFlight) =>
    new TenantFence(null, inFlight, { masterDbName: 'm_unit' } as AppConfig, new RedisSubscriber(null));

  it('fences and drains this process: not fenced while a request outlives the drain time', async () => {
    const inFlight = new TenantInFlight();
    const release = inFlight.enter(TENANT);
    expect(await fenceWith(inFlight).everywhere(TENANT, 60)).toEqual({
      fenced: false,
      reason: 'requests still in flight',
    });
    expect(inFlight.isFenced(TENANT)).toBe(true);
    release();
    expect(await fenceWith(inFlight).everywhere(TENANT, 60)).toEqual({ fenced: true, instances: 1 });
  });
});
