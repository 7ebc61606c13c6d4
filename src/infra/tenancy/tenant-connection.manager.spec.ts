import type { AppConfig } from '../config/app-config';
import type { ClusterConnections } from '../database/cluster-connections.service';
import { TenantConnectionManager } from './tenant-connection.manager';
import type { TenantRoute, TenantRouting } from './tenant-routing.service';

/** Stand-in root connections per cluster: record useDb/removeDb calls (unit test; e2e uses real ones). */
function fakeMongo() {
  const removed: string[] = [];
  const root = (cluster: string) => ({
    useDb: (name: string) => ({ name, cluster, models: {} }),
    removeDb: (name: string) => removed.push(`${cluster}/${name}`),
  });
  const roots = { default: root('default'), eu: root('eu') };
  const clusters = { connection: (name: 'default' | 'eu') => roots[name] } as unknown as ClusterConnections;
  const routes = new Map<string, TenantRoute>();
  const routing = { peek: (id: string) => routes.get(id) ?? { cluster: 'default', moving: false } } as TenantRouting;
  return { mongo: clusters, routing, routes, removed };
}

const ids = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(24, '0'));

describe('TenantConnectionManager', () => {
  afterEach(() => jest.useRealTimers());

  it('reuses one handle per tenant and names databases from the id', () => {
    const { mongo, routing } = fakeMongo();
    const manager = new TenantConnectionManager(mongo, routing, { tenantConnectionCacheSize: 10 } as AppConfig);
    const a = manager.connection(ids[0]);
    expect(manager.connection(ids[0])).toBe(a);
    expect(a.name).toBe(`t_${ids[0]}`);
    expect(() => manager.connection('../../admin')).toThrow('invalid tenant id');
  });

  it('evicts only idle tenants, least recently used first', () => {
    jest.useFakeTimers();
    const { mongo, routing, removed } = fakeMongo();
    const manager = new TenantConnectionManager(mongo, routing, { tenantConnectionCacheSize: 3 } as AppConfig);
    for (const id of ids.slice(0, 3)) manager.connection(id);
    jest.advanceTimersByTime(60_000);
    manager.connection(ids[0]); // recently used again
    manager.connection(ids[3]); // over the limit: evict the least recently used idle one
    expect(removed).toEqual([`default/t_${ids[1]}`]);
    // Busy tenants are never evicted, even over the limit.
    for (const id of ids.slice(4, 8)) manager.connection(id);
    expect(removed).toEqual([`default/t_${ids[1]}`, `default/t_${ids[2]}`]);
    expect(manager.size).toBe(6);
  });

  it("resolves a tenant on its route's cluster and rebuilds the handle when the route changes", () => {
    const { mongo, routing, routes, removed } = fakeMongo();
    const manager = new TenantConnectionManager(mongo, routing, { tenantConnectionCacheSize: 10 } as AppConfig);
    routes.set(ids[0], { cluster: 'eu', moving: false });
    expect(manager.connection(ids[0])).toEqual(expect.objectContaining({ name: `t_${ids[0]}`, cluster: 'eu' }));
    routes.set(ids[0], { cluster: 'default', moving: false });
    expect(manager.connection(ids[0])).toEqual(expect.objectContaining({ cluster: 'default' }));
    expect(removed).toEqual([`eu/t_${ids[0]}`]);
  });
});
