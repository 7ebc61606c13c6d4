import { createHash } from 'node:crypto';
import { mongo } from 'mongoose';

type Db = mongo.Db;
type Doc = mongo.Document;
/** Tenant collections hold any `_id` type: filters are built on this loose shape. */
type AnyFilter = mongo.Filter<Doc>;

/** Documents per read batch and per bulk write: one write stays far below the operation deadline. */
const BATCH = 200;
const { EJSON } = mongo.BSON;

/** Canonical Extended JSON of a document (type-exact: an int and a double differ). */
function canonical(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: false });
}

function docHash(doc: Doc): string {
  return createHash('sha256').update(canonical(doc)).digest('hex');
}

/** The tenant's collections (system collections excluded), sorted for a stable order. */
export async function collectionNames(db: Db): Promise<string[]> {
  const list = await db.listCollections({}, { nameOnly: true }).toArray();
  return list
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.'))
    .sort();
}

/** Creates the collection and its secondary indexes (same keys and options) on the target. */
export async function copyIndexes(source: Db, target: Db, name: string): Promise<void> {
  await target.createCollection(name).catch((err: { code?: number }) => {
    if (err.code !== 48) throw err; // 48 NamespaceExists: resumed or catch-up pass
  });
  for (const index of await source.collection(name).indexes()) {
    if (index.name === '_id_') continue;
    const { key, name: indexName, unique, sparse, expireAfterSeconds, partialFilterExpression, collation } = index;
    const options: mongo.CreateIndexesOptions = { name: indexName };
    if (unique !== undefined) options.unique = unique;
    if (sparse !== undefined) options.sparse = sparse;
    if (expireAfterSeconds !== undefined) options.expireAfterSeconds = expireAfterSeconds;
    if (partialFilterExpression !== undefined) options.partialFilterExpression = partialFilterExpression;
    if (collation !== undefined) options.collation = collation;
    await target.collection(name).createIndex(key, options);
  }
}

/**
 * Writes documents the target does not have (`insertMany`: one round trip, and on FerretDB one
 * storage transaction, where per-document upserts cost one each) or has in another version.
 */
async function writeBatch(target: Db, name: string, docs: Doc[], existing = false): Promise<void> {
  if (docs.length === 0) return;
  if (!existing) {
    await target.collection(name).insertMany(docs, { ordered: false });
    return;
  }
  await target.collection(name).bulkWrite(
    docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc } })),
    { ordered: false },
  );
}

/**
 * First pass into an emptied target: every document, in `_id` order, in batches; `onBatch` gets
 * each batch's size. A crash repeats the whole pass on a target emptied again: never a duplicate.
 */
export async function copyCollection(
  source: Db,
  target: Db,
  name: string,
  onBatch: (copied: number) => Promise<void>,
): Promise<void> {
  let batch: Doc[] = [];
  for await (const doc of source.collection(name).find({}, { sort: { _id: 1 }, batchSize: BATCH })) {
    batch.push(doc);
    if (batch.length < BATCH) continue;
    await writeBatch(target, name, batch);
    await onBatch(batch.length);
    batch = [];
  }
  await writeBatch(target, name, batch);
  await onBatch(batch.length);
}

/**
 * Catch-up under the write fence (no change streams on FerretDB): the target is made equal to the
 * source by comparing per-document hashes. Documents missing or different on the target are
 * re-written, documents the source no longer has are deleted. Returns how many were written or
 * deleted. Holds one hash per target document in memory (64 bytes + the id).
 */
export async function syncCollection(source: Db, target: Db, name: string): Promise<number> {
  const targetHashes = new Map<string, string>();
  for await (const doc of target.collection(name).find({}, { batchSize: BATCH }))
    targetHashes.set(canonical({ _id: doc._id as unknown }), docHash(doc));
  let changed = 0;
  let batch: Doc[] = [];
  for await (const doc of source.collection(name).find({}, { sort: { _id: 1 }, batchSize: BATCH })) {
    const key = canonical({ _id: doc._id as unknown });
    if (targetHashes.get(key) !== docHash(doc)) batch.push(doc);
    targetHashes.delete(key);
    if (batch.length >= BATCH) {
      await writeBatch(target, name, batch);
      changed += batch.length;
      batch = [];
    }
  }
  await writeBatch(target, name, batch);
  changed += batch.length;
  const extra = [...targetHashes.keys()].map((key) => (EJSON.parse(key, { relaxed: false }) as Doc)._id as unknown);
  for (let i = 0; i < extra.length; i += BATCH)
    await target.collection(name).deleteMany({ _id: { $in: extra.slice(i, i + BATCH) } } as AnyFilter);
  return changed + extra.length;
}

export interface Digest {
  count: number;
  sha256: string;
}

/** Count and SHA-256 over the canonical Extended JSON of every document, in `_id` order. */
export async function collectionDigest(db: Db, name: string): Promise<Digest> {
  const hash = createHash('sha256');
  let count = 0;
  for await (const doc of db.collection(name).find({}, { sort: { _id: 1 }, batchSize: BATCH })) {
    hash.update(canonical(doc)).update('\n');
    count++;
  }
  return { count, sha256: hash.digest('hex') };
}

/** Per collection digests of a database (what a move verifies, and what tests compare). */
export async function databaseDigest(db: Db): Promise<Record<string, Digest>> {
  const out: Record<string, Digest> = {};
  for (const name of await collectionNames(db)) out[name] = await collectionDigest(db, name);
  return out;
}
