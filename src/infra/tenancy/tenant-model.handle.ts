import type { Model } from 'mongoose';

/**
 * Members that would reach past the tenant's database (its connection, the Mongoose instance,
 * sessions or change streams across databases): refused on a tenant model.
 */
const ESCAPES = new Set<PropertyKey>(['db', 'base', 'useConnection', 'startSession', 'watch']);

/**
 * Asked of any provider value by Nest (lifecycle hooks), by `await` (`then`) or by inspection,
 * outside any request: answered without resolving a tenant, so boot does not trip over the handle.
 */
const INTROSPECTION = new Set<PropertyKey>([
  'constructor',
  'then',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
  'toJSON',
]);

/**
 * A stand-in for a model that resolves the real one (the current tenant's) on every member access.
 * Resolving fails loudly outside a tenant context, so a query can never silently run on no tenant
 * or on the previous one; keeping the handle in a field is safe, since it holds no tenant.
 */
export function tenantModelHandle<T>(name: string, resolve: () => Model<T>): Model<T> {
  const refuse = (member: PropertyKey): never => {
    throw new Error(
      `${name}.${String(member)} is not available on a tenant model: it reaches past the tenant database`,
    );
  };
  const target = function tenantModel() {} as unknown as Model<T>;
  return new Proxy(target, {
    get(_target, member) {
      if (member === 'modelName') return name;
      if (typeof member === 'symbol' || INTROSPECTION.has(member)) return undefined;
      if (ESCAPES.has(member)) return refuse(member);
      const model = resolve();
      const value: unknown = Reflect.get(model, member, model);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(model) : value;
    },
    set: (_target, member) => refuse(member),
    defineProperty: (_target, member) => refuse(member),
    construct: (_target, args) => Reflect.construct(resolve(), args) as object,
    apply: (_target, thisArg, args) => Reflect.apply(resolve(), thisArg, args) as unknown,
  });
}
