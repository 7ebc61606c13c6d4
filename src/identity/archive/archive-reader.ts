import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { mongo } from 'mongoose';
import { extract as tarExtract } from 'tar-stream';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { ArchiveConfig } from '../../infra/config/archive-config';
import { MANIFEST_MAX_BYTES, MANIFEST_NAME, collectionOfEntry, invalidArchive } from './archive-format';
import { byteLimit } from './byte-limit';
import { type LoadedCollection, loadNdjson } from './ndjson-loader';

export interface ReadArchive {
  manifest: Buffer | null;
  collections: Map<string, LoadedCollection>;
}

/**
 * Streams the gzip'd tar body into `db`, entry by entry: compressed and inflated sizes bounded
 * (TENANT_ARCHIVE_MAX_BYTES, TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES: a decompression bomb stops at
 * the bound), only `manifest.json` and `collections/<name>.ndjson` accepted, each at most once.
 * Any failure stops the whole pipeline before this returns, so the caller's undo never races an
 * insert still running.
 */
export async function readArchiveEntries(
  body: Readable,
  limits: Pick<ArchiveConfig, 'maxArchiveBytes' | 'maxUncompressedBytes'>,
  db: mongo.Db,
  onBatch: () => Promise<void>,
): Promise<ReadArchive> {
  const read: ReadArchive = { manifest: null, collections: new Map() };
  const extract = tarExtract();
  let failure: unknown;
  const fail = (err: unknown): void => {
    failure ??= err;
    extract.destroy(err as Error);
  };

  const piping = pipeline(
    body,
    byteLimit(limits.maxArchiveBytes, () => sizeError(`Archive larger than ${limits.maxArchiveBytes} bytes`)),
    createGunzip(),
    byteLimit(limits.maxUncompressedBytes, () =>
      sizeError(`Archive inflates past ${limits.maxUncompressedBytes} bytes (TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES)`),
    ),
    extract,
  ).catch(fail);

  const consuming = (async () => {
    for await (const entry of extract) {
      // tar-stream yields Buffers; its typings say unknown.
      const bytes = entry as AsyncIterable<Buffer>;
      const { name, type } = entry.header;
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type !== 'file') throw invalidArchive(`entry ${name} is not a regular file`);
      if (name === MANIFEST_NAME) {
        if (read.manifest) throw invalidArchive('manifest.json appears twice');
        read.manifest = await readSmall(bytes, MANIFEST_MAX_BYTES);
        continue;
      }
      const collection = collectionOfEntry(name);
      if (!collection) throw invalidArchive(`unexpected entry ${name}`);
      if (read.collections.has(collection)) throw invalidArchive(`${name} appears twice`);
      read.collections.set(collection, await loadNdjson(bytes, db.collection(collection), onBatch));
    }
  })().catch(fail);

  await Promise.all([piping, consuming]);
  if (failure !== undefined) throw asArchiveError(failure);
  return read;
}

function sizeError(detail: string): AppError {
  return new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, detail);
}

async function readSmall(entry: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    size += chunk.length;
    if (size > max) throw invalidArchive(`manifest.json is larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Ours and the database's errors go up as they are; gzip and tar errors mean a broken archive. */
function asArchiveError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const e = err as { code?: unknown; name?: string; message?: string };
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return invalidArchive('not a valid gzip stream');
  if (e.name?.startsWith('Mongo')) return err;
  return invalidArchive('not a readable tar archive');
}
