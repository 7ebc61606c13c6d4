import { createHash } from 'node:crypto';
import { mongo } from 'mongoose';
import { invalidArchive } from './archive-format';

/** A document is at most 16 MiB of BSON; its canonical EJSON line stays well under this. */
const MAX_LINE_BYTES = 48 * 1024 * 1024;
const BATCH = 500;
const NEWLINE = 0x0a;

export interface LoadedCollection {
  count: number;
  sha256: string;
}

/**
 * Reads one NDJSON entry into `collection`: hashes its exact bytes, parses each line as canonical
 * Extended JSON (types kept: ObjectId, Date, ...) and inserts in ordered batches, `_id` kept.
 * Anything unreadable or refused by the database is ARCHIVE_INVALID; the caller undoes the import.
 */
export async function loadNdjson(
  entry: AsyncIterable<Buffer>,
  collection: mongo.Collection,
  onBatch: () => Promise<void>,
): Promise<LoadedCollection> {
  const hash = createHash('sha256');
  const name = collection.collectionName;
  let count = 0;
  let batch: mongo.Document[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const docs = batch;
    batch = [];
    try {
      await collection.insertMany(docs, { ordered: true });
    } catch (err) {
      // The server refused a document (duplicate _id, invalid field name, ...): the archive's fault.
      // Anything else (network, timeout) is the database's and goes up as is (503).
      if (err instanceof mongo.MongoServerError || err instanceof mongo.MongoBulkWriteError)
        throw invalidArchive(`a document of ${name} was refused by the database (code ${String(err.code)})`);
      throw err;
    }
    await onBatch();
  };

  const take = (line: Buffer): void => {
    let doc: unknown;
    try {
      doc = mongo.BSON.EJSON.parse(line.toString('utf8'), { relaxed: false });
    } catch {
      throw invalidArchive(`line ${count + 1} of ${name} is not Extended JSON`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('_id' in doc))
      throw invalidArchive(`line ${count + 1} of ${name} is not a document with an _id`);
    batch.push(doc);
    count++;
  };

  for await (const chunk of entry) {
    hash.update(chunk);
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const tail = chunk.subarray(start, end);
      take(pending.length > 0 ? Buffer.concat([...pending, tail]) : tail);
      pending = [];
      pendingBytes = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) throw invalidArchive(`a line of ${name} exceeds ${MAX_LINE_BYTES} bytes`);
    }
    if (batch.length >= BATCH) await flush();
  }
  if (pendingBytes > 0) throw invalidArchive(`${name} does not end with a newline`);
  await flush();
  return { count, sha256: hash.digest('hex') };
}
