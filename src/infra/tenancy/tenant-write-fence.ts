import type { Schema } from 'mongoose';

/** Every Mongoose operation that writes (documents, queries, model-level bulk writes). */
const QUERY_WRITES = [
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
] as const;

const fenced = new WeakSet<Schema>();

type Probe = { model: { db: { name: string } }; db: { name: string } };

/**
 * The write fence of a live tenant move, installed on every tenant schema before its first model
 * is compiled (TenantConnectionManager). Each write asks `check` with the name of the database it
 * is about to touch; `check` throws (503 TENANT_MOVING) while the tenant's route says `moving`.
 * Middleware is the one place every write path passes (model handles, `new Model().save()`,
 * identity's own repositories), reads never do. Raw driver calls (`Model.collection`) bypass
 * Mongoose and the fence; tenant code has no reason to use them.
 */
export function installWriteFence(schema: Schema, check: (dbName: string) => void): void {
  if (fenced.has(schema)) return;
  fenced.add(schema);
  // Loosely typed: Mongoose's overloads want one middleware kind per call.
  const pre = schema.pre.bind(schema) as unknown as (methods: string[], fn: (this: Probe) => void) => void;
  pre([...QUERY_WRITES], function () {
    check(this.model.db.name); // query middleware: `this` is the Query
  });
  pre(['save'], function () {
    check(this.db.name); // document middleware: `this` is the document
  });
  pre(['insertMany', 'bulkWrite'], function () {
    check(this.db.name); // model middleware: `this` is the Model
  });
}
