import type { AppConfig } from '../config/app-config';
import type { MasterConnection } from '../database/master-connection.service';
import { TenantConnectionManager } from './tenant-connection.manager';

/** A stand-in root connection: records useDb/removeDb calls (unit test; e2e uses the real one). */
function fakeMongo() {
  const removed: string[] = [];
  const root = {
    useDb: (name: string) => ({ name, models: {} }),
    removeDb: (name: string) => removed.push(name),
  };
  return { mongo: { connection: root } as unknown as MasterConnection, removed };
}

const ids = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(24, '0'));

describe('TenantConnectionManager', () => {
  afterEach(() => jest.useRealTimers());

  it('reuses one handle per tenant and names databases from the id', () => {
    const { mongo } = fakeMongo();
    const manager = new TenantConnectionManager(mongo, { tenantConnectionCacheSize: 10 } as AppConfig);
    const a = manager.connection(ids[0]);
    expect(manager.connection(ids[0])).toBe(a);
    expect(a.name).toBe(`t_${ids[0]}`);
    expect(() => manager.connection('../../admin')).toThrow('invalid tenant id');
  });

  it('evicts only idle tenants, least recently used first', () => {
    jest.useFakeTimers();
    const { mongo, removed } = fakeMongo();
    const manager = new TenantConnectionManager(mongo, { tenantConnectionCacheSize: 3 } as AppConfig);
    for (const id of ids.slice(0, 3)) manager.connection(id);
    jest.advanceTimersByTime(60_000);
    manager.connection(ids[0]); // recently used again
    manager.connection(ids[3]); // over the limit: evict the least recently used idle one
    expect(removed).toEqual([`t_${ids[1]}`]);
    // Busy tenants are never evicted, even over the limit.
    for (const id of ids.slice(4, 8)) manager.connection(id);
    expect(removed).toEqual([`t_${ids[1]}`, `t_${ids[2]}`]);
    expect(manager.size).toBe(6);
  });
});
