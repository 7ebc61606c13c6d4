import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { mongo } from 'mongoose';

export interface SpooledCollection {
  count: number;
  sha256: string;
  bytes: number;
}

/**
 * Writes one collection to `file` as canonical Extended JSON lines in `_id` order, through a
 * cursor (one batch in memory at a time), hashing the bytes as they are written. A tar entry
 * needs its size before its content, hence the file rather than the response directly.
 */
export async function spoolCollection(
  collection: mongo.Collection,
  file: string,
  signal: AbortSignal,
): Promise<SpooledCollection> {
  const hash = createHash('sha256');
  const out = createWriteStream(file, { mode: 0o600 });
  let count = 0;
  let bytes = 0;
  try {
    // promoteValues off: an Int32, a Double and a Long stay what they are (a promoted 2.0 would be
    // written back as an Int32), so the archive holds the stored types exactly.
    const cursor = collection.find(
      {},
      { sort: { _id: 1 }, batchSize: 500, promoteValues: false, promoteBuffers: false },
    );
    for await (const doc of cursor) {
      signal.throwIfAborted();
      const line = Buffer.from(`${mongo.BSON.EJSON.stringify(doc, { relaxed: false })}\n`, 'utf8');
      hash.update(line);
      count++;
      bytes += line.length;
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await finished(out);
  }
  return { count, sha256: hash.digest('hex'), bytes };
}
