import { AppError } from '../../common/errors/app-error';
import { ArchiveError } from './archive.errors';

/**
 * The portable tenant archive (a gzip'd tar):
 *   collections/<name>.ndjson  one per collection of the tenant database, canonical Extended JSON
 *                              (EJSON, relaxed: false), one document a line, in `_id` order;
 *   manifest.json              written last (its hashes are known only once every file is written):
 *                              format version, the tenant record, and per collection its count,
 *                              the SHA-256 of its NDJSON file and its index definitions.
 * Import reads the entries in any order and checks them against the manifest at the end.
 */
export const ARCHIVE_FORMAT = 'mt-tenant-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_MAX_BYTES = 1024 * 1024;
const COLLECTION_PREFIX = 'collections/';
const COLLECTION_SUFFIX = '.ndjson';
/** What a tenant collection may be called (MongoDB's and FerretDB's rules, `system.*` excluded). */
const COLLECTION_NAME = /^(?!system\.)[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$/;
const DOMAIN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface IndexDefinition {
  key: Record<string, number | string>;
  name: string;
  /** Every other option listIndexes reported (`unique`, `sparse`, ...), minus `v` and `ns`. */
  options: Record<string, unknown>;
}

export interface CollectionManifest {
  name: string;
  count: number;
  sha256: string;
  indexes: IndexDefinition[];
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  format_version: number;
  created_at: string;
  tenant: { id: string; name: string; domain: string; email: string; settings: Record<string, unknown> };
  collections: CollectionManifest[];
}

export function collectionEntryName(collection: string): string {
  return `${COLLECTION_PREFIX}${collection}${COLLECTION_SUFFIX}`;
}

/** The collection an entry holds, or null when the name is not a collection file. */
export function collectionOfEntry(entryName: string): string | null {
  if (!entryName.startsWith(COLLECTION_PREFIX) || !entryName.endsWith(COLLECTION_SUFFIX)) return null;
  const name = entryName.slice(COLLECTION_PREFIX.length, -COLLECTION_SUFFIX.length);
  return COLLECTION_NAME.test(name) ? name : null;
}

export function isTenantCollectionName(name: string): boolean {
  return COLLECTION_NAME.test(name);
}

export function invalidArchive(detail: string): AppError {
  return new AppError(422, ArchiveError.ARCHIVE_INVALID, `Archive refused: ${detail}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;

/** Parses and checks a manifest's shape; throws ARCHIVE_INVALID naming the first problem. */
export function parseManifest(raw: Buffer): ArchiveManifest {
  let m: unknown;
  try {
    m = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidArchive('manifest.json is not JSON');
  }
  if (!isRecord(m) || m.format !== ARCHIVE_FORMAT)
    throw invalidArchive('manifest.json is not a tenant archive manifest');
  if (m.format_version !== ARCHIVE_FORMAT_VERSION)
    throw invalidArchive(`format_version ${String(m.format_version)} is not supported (${ARCHIVE_FORMAT_VERSION} is)`);
  const t = m.tenant;
  if (!isRecord(t) || !isText(t.name, 3, 100) || !isText(t.email, 3, 320) || !isRecord(t.settings))
    throw invalidArchive('manifest.json has no valid tenant record');
  if (!isText(t.domain, 3, 63) || !DOMAIN.test(t.domain)) throw invalidArchive('manifest.json has an invalid domain');
  if (!Array.isArray(m.collections)) throw invalidArchive('manifest.json lists no collections');
  const seen = new Set<string>();
  for (const c of m.collections as unknown[]) {
    if (
      !isRecord(c) ||
      typeof c.name !== 'string' ||
      !COLLECTION_NAME.test(c.name) ||
      !Number.isSafeInteger(c.count) ||
      (c.count as number) < 0 ||
      typeof c.sha256 !== 'string' ||
      !SHA256_HEX.test(c.sha256) ||
      !Array.isArray(c.indexes) ||
      !(c.indexes as unknown[]).every(
        (i) => isRecord(i) && isRecord(i.key) && typeof i.name === 'string' && isRecord(i.options),
      )
    )
      throw invalidArchive('manifest.json has an invalid collection entry');
    if (seen.has(c.name)) throw invalidArchive(`manifest.json lists collection ${c.name} twice`);
    seen.add(c.name);
  }
  return m as unknown as ArchiveManifest;
}
