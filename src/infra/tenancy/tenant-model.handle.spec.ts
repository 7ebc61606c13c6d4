import type { Model } from 'mongoose';
import { tenantModelHandle } from './tenant-model.handle';

/** A stand-in model per tenant: a class (models are constructible) with a static query method. */
function fakeModel(tenant: string) {
  return class FakeModel {
    static readonly tenant = tenant;
    static db = { name: `t_${tenant}` };
    static find(filter: object) {
      return { tenant: this.tenant, filter };
    }
    constructor(readonly doc: object) {}
  } as unknown as Model<{ name: string }>;
}

describe('tenantModelHandle', () => {
  let current: string | undefined;
  const models = { a: fakeModel('a'), b: fakeModel('b') };
  const handle = tenantModelHandle('Thing', () => {
    if (!current) throw new Error('No tenant in the request context');
    return models[current as 'a' | 'b'];
  });

  it('resolves the current tenant on every call, with `this` bound to that tenant model', () => {
    current = 'a';
    const find = handle.find.bind(handle);
    expect(handle.find({ x: 1 })).toEqual({ tenant: 'a', filter: { x: 1 } });
    current = 'b';
    expect(handle.find({ x: 2 })).toEqual({ tenant: 'b', filter: { x: 2 } });
    // A method taken earlier stays bound to the tenant it was taken in (a query built in a request).
    expect(find({})).toEqual({ tenant: 'a', filter: {} });
    expect(new (handle as unknown as new (doc: object) => { doc: object; constructor: unknown })({ n: 1 })).toEqual(
      expect.objectContaining({ doc: { n: 1 } }),
    );
  });

  it('fails loudly outside a tenant context instead of picking a tenant', () => {
    current = undefined;
    expect(() => handle.find({})).toThrow('No tenant in the request context');
    expect(() => new (handle as unknown as new () => object)()).toThrow('No tenant in the request context');
  });

  it('refuses the members that reach past the tenant database', () => {
    current = 'a';
    for (const member of ['db', 'base', 'useConnection', 'startSession', 'watch'])
      expect(() => (handle as unknown as Record<string, unknown>)[member]).toThrow('reaches past the tenant database');
    expect(() => Object.assign(handle, { find: () => null })).toThrow('not available on a tenant model');
  });

  it("answers Nest's and await's questions without a tenant (boot happens outside any request)", async () => {
    current = undefined;
    expect(handle.modelName).toBe('Thing');
    const probe = handle as unknown as Record<string, unknown>;
    for (const member of ['then', 'constructor', 'onModuleInit', 'onApplicationShutdown'])
      expect(probe[member]).toBeUndefined();
    await expect(Promise.resolve(handle)).resolves.toBe(handle);
  });
});
