import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Injectable, Logger } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { pack as tarPack, type Pack } from 'tar-stream';
import { isObjectId } from '../../common/ids';
import { ClusterConnections } from '../../infra/database/cluster-connections.service';
import { tenantNotFound } from '../tenants/tenant-directory.service';
import type { Tenant } from '../tenants/tenant.schema';
import { TenantsRepository } from '../tenants/tenants.repository';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  type ArchiveManifest,
  type CollectionManifest,
  type IndexDefinition,
  MANIFEST_NAME,
  collectionEntryName,
  isTenantCollectionName,
} from './archive-format';
import { spoolCollection } from './ndjson-spool';

/**
 * Streams a tenant as a portable archive (archive-format.ts). One collection at a time: spooled
 * to a temporary file (cursor, `_id` order, hashed on the way), appended to the tar, deleted; the
 * manifest goes last. Memory holds one cursor batch; the disk holds one collection at a time.
 *
 * Consistency: each collection is read by one cursor, so a write landing during the export may
 * or may not be in it, and two collections are read at different moments (no snapshot: FerretDB
 * has no transactions). Suspend the tenant first for an exact copy (docs/operations.md).
 */
@Injectable()
export class TenantExporter {
  private readonly logger = new Logger(TenantExporter.name);

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly clusters: ClusterConnections,
  ) {}

  /** Resolves (or throws 404) before the first byte; the returned stream fails if the export does. */
  async open(tenantId: string): Promise<{ filename: string; stream: Readable }> {
    if (!isObjectId(tenantId)) throw tenantNotFound();
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant || (tenant.status !== 'active' && tenant.status !== 'suspended')) throw tenantNotFound();
    const db = this.clusters.connection(tenant.cluster).getClient().db(tenant.db_name);
    const pack = tarPack();
    const gzip = createGzip();
    pack.pipe(gzip);
    // streamx's pipe destroys `pack` with an error when `gzip` closes early (the client went away);
    // without a listener that 'error' event would be an uncaught exception. write() reports failures.
    pack.on('error', () => undefined);
    // The client went away (or the stream failed) before the end: stop reading and writing, so the
    // cursor, the temporary file and the tar's buffer are released (write() ends in its finally).
    const stopped = new AbortController();
    gzip.once('close', () => {
      if (!gzip.writableFinished) {
        stopped.abort();
        pack.destroy();
      }
    });
    void this.write(pack, db, tenant, stopped.signal).catch((err: unknown) => {
      if (stopped.signal.aborted) {
        this.logger.warn(`export of tenant ${tenantId} stopped: the client went away`);
        return;
      }
      // The status line is already sent: the client sees a cut stream, never a valid archive.
      this.logger.error(`export of tenant ${tenantId} failed (${(err as Error).name}); stream aborted`);
      pack.destroy(err as Error);
      gzip.destroy(err as Error);
    });
    const day = new Date().toISOString().slice(0, 10);
    return { filename: `tenant-${tenant.domain}-${day}.tar.gz`, stream: gzip };
  }

  private async write(pack: Pack, db: mongo.Db, tenant: Tenant, signal: AbortSignal): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'tenant-export-'));
    try {
      const listed = await db.listCollections({}, { nameOnly: true }).toArray();
      const names = listed
        .filter((c) => c.type === undefined || c.type === 'collection')
        .map((c) => c.name)
        .filter(isTenantCollectionName)
        .sort();
      const collections: CollectionManifest[] = [];
      for (const [i, name] of names.entries()) {
        const file = join(dir, `${i}.ndjson`);
        const collection = db.collection(name);
        const spooled = await spoolCollection(collection, file, signal);
        const indexes = (await collection.listIndexes().toArray()).map(toIndexDefinition);
        await addFile(pack, collectionEntryName(name), file, spooled.bytes);
        await rm(file, { force: true });
        collections.push({ name, count: spooled.count, sha256: spooled.sha256, indexes });
      }
      const manifest: ArchiveManifest = {
        format: ARCHIVE_FORMAT,
        format_version: ARCHIVE_FORMAT_VERSION,
        created_at: new Date().toISOString(),
        tenant: {
          id: String(tenant._id),
          name: tenant.name,
          domain: tenant.domain,
          email: tenant.email,
          settings: tenant.settings,
        },
        collections,
      };
      pack.entry({ name: MANIFEST_NAME }, Buffer.from(JSON.stringify(manifest, null, 2)));
      pack.finalize();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function toIndexDefinition(index: mongo.Document): IndexDefinition {
  const {
    key,
    name,
    v: _v,
    ns: _ns,
    ...options
  } = index as {
    key: Record<string, number | string>;
    name: string;
    v?: unknown;
    ns?: unknown;
  } & Record<string, unknown>;
  return { key, name, options };
}

async function addFile(pack: Pack, name: string, file: string, size: number): Promise<void> {
  const entry = pack.entry({ name, size, type: 'file', mode: 0o600 }) as unknown as Writable;
  await pipeline(createReadStream(file), entry);
}
