import type { mongo } from 'mongoose';
import { type ArchiveManifest, collectionEntryName, invalidArchive, parseManifest } from './archive-format';
import type { ReadArchive } from './archive-reader';

/** Options an index definition may carry into createIndex; others (from newer servers) are dropped. */
const INDEX_OPTIONS = ['unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression', 'collation', 'hidden'];

/** Every collection file matches the manifest (count and SHA-256), and no file is missing or extra. */
export function checkAgainstManifest(read: ReadArchive): ArchiveManifest {
  if (!read.manifest) throw invalidArchive('manifest.json is missing');
  const manifest = parseManifest(read.manifest);
  const listed = new Set(manifest.collections.map((c) => c.name));
  for (const c of manifest.collections) {
    const got = read.collections.get(c.name);
    if (!got) throw invalidArchive(`${collectionEntryName(c.name)} is missing`);
    if (got.count !== c.count)
      throw invalidArchive(`${collectionEntryName(c.name)} holds ${got.count} documents, the manifest says ${c.count}`);
    if (got.sha256 !== c.sha256)
      throw invalidArchive(`${collectionEntryName(c.name)} does not match its SHA-256 in the manifest`);
  }
  for (const name of read.collections.keys())
    if (!listed.has(name)) throw invalidArchive(`${collectionEntryName(name)} is not in the manifest`);
  return manifest;
}

/** Each collection exists (an empty one too) with the manifest's indexes. */
export async function createIndexes(db: mongo.Db, manifest: ArchiveManifest): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const c of manifest.collections) {
    if (!existing.has(c.name)) await db.createCollection(c.name);
    for (const index of c.indexes) {
      if (index.name === '_id_') continue;
      const options = Object.fromEntries(
        INDEX_OPTIONS.filter((k) => k in index.options).map((k) => [k, index.options[k]]),
      );
      try {
        await db
          .collection(c.name)
          .createIndex(index.key as mongo.IndexSpecification, { ...options, name: index.name });
      } catch (err) {
        if ((err as Error).name === 'MongoServerError')
          throw invalidArchive(`index ${index.name} of ${c.name} was refused by the database`);
        throw err;
      }
    }
  }
}
