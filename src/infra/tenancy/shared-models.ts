import type { Connection, Model, Schema } from 'mongoose';

/** Mongoose's own way to bind a compiled model to another connection (`Connection.model` uses it). */
type Subclassable = Model<unknown> & {
  __subclass(connection: Connection, schema: Schema, collection?: string): Model<unknown>;
};

/** Where `Model.__subclass` records each subclass (for discriminators added later; we add none). */
const SUBCLASSED = 'mongoose#Model#subclassed';

/**
 * Tenant models compiled once per name, then bound to each tenant's connection. `connection.model
 * (name, schema)` compiles the schema again for every connection: ~10 KiB of heap per model per
 * tenant, 45 KiB per tenant at 10,000 tenants (docs/benchmarks.md). Binding a compiled model to
 * another connection is what Mongoose itself does for a model reused on another connection
 * (`Model.__subclass`): the subclass inherits the statics, the query class and every middleware
 * (the move's write fence included) and gets its own `db` and `collection`, so each query and
 * middleware sees the tenant's database. About 1.3 KiB per model per tenant.
 *
 * The compiled models live on a connection of their own that is never opened, so a template used
 * by mistake fails (no server) instead of writing anywhere. `__subclass` also appends each
 * subclass to a list on the template, which would keep every evicted tenant's models alive: it is
 * emptied after each bind.
 */
export class SharedModels {
  private readonly templates = new Map<string, Subclassable>();
  private home: Connection | undefined;

  /** The tenant's model `name`, bound to `connection` and registered on it (populate finds it there). */
  bind<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
    const template = this.template(connection, name, schema as Schema);
    const model = template.__subclass(connection, schema as Schema);
    const subclassed = Object.getOwnPropertySymbols(template).find((s) => s.description === SUBCLASSED);
    const list = subclassed === undefined ? undefined : (template as unknown as Record<symbol, unknown>)[subclassed];
    if (Array.isArray(list)) list.length = 0;
    (connection.models as Record<string, Model<unknown>>)[name] = model;
    return model as unknown as Model<T>;
  }

  private template(connection: Connection, name: string, schema: Schema): Subclassable {
    const known = this.templates.get(name);
    if (known) {
      // One schema per model name (TenantSchemaRegistry): anything else is a programming error.
      if (known.schema !== schema) throw new Error(`tenant model ${name} is registered with two different schemas`);
      return known;
    }
    // Never opened; Mongoose instance of the tenant connections, so schemas need no conversion.
    this.home ??= connection.base.createConnection();
    this.home.set('autoCreate', false);
    this.home.set('autoIndex', false);
    this.home.set('bufferCommands', false);
    const template = this.home.model(name, schema) as unknown as Subclassable;
    if (typeof template.__subclass !== 'function') throw new Error('mongoose: Model.__subclass is gone');
    this.templates.set(name, template);
    return template;
  }
}
