import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { mongo, Types } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { newId } from '../../common/ids';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { ClusterConnections } from '../../infra/database/cluster-connections.service';
import { tenantDbName } from '../../infra/tenancy/tenant-db-name';
import { AccountsRepository } from '../accounts/accounts.repository';
import { type TenantResponse, toTenantResponse } from '../dto/tenant.response';
import { TenantPlacement } from '../tenants/tenant-placement.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { invalidArchive } from './archive-format';
import { readArchiveEntries } from './archive-reader';
import { checkAgainstManifest, createIndexes } from './import-checks';
import { ImportUndo } from './import-undo.service';
import { TenantImportsRepository } from './tenant-imports.repository';

export interface ImportOptions {
  name?: string;
  domain?: string;
  /** Default: DEFAULT_CLUSTER. */
  cluster?: string;
  /** Content-Length when the client sent one (checked before a byte is read). */
  declaredBytes?: number;
}

/** A running import refreshes its journal entry at most this often (ImportSweeper's staleness is 2 min). */
const HEARTBEAT_EVERY_MS = 10_000;

/**
 * Creates a tenant from an archive (archive-format.ts) without it ever being visible half made:
 * journal entry -> data streamed into a new database `t_<new id>` (hashed and counted on the way)
 * -> manifest checks (every count and SHA-256) -> indexes -> tenant record (`provisioning`, hidden)
 * -> accounts (the login index, rebuilt from the imported members with the new tenant id) ->
 * `active`. Any failure undoes it all (ImportUndo); a crash is undone by ImportSweeper.
 * Documents keep their `_id` (ids are per tenant database); the tenant gets a new id.
 */
@Injectable()
export class TenantImporter {
  private readonly logger = new Logger(TenantImporter.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clusters: ClusterConnections,
    private readonly tenants: TenantsRepository,
    private readonly accounts: AccountsRepository,
    private readonly journal: TenantImportsRepository,
    private readonly undo: ImportUndo,
    private readonly placement: TenantPlacement,
  ) {}

  async import(body: Readable, options: ImportOptions): Promise<TenantResponse> {
    const { maxArchiveBytes } = this.config.archive;
    if (options.declaredBytes !== undefined && options.declaredBytes > maxArchiveBytes) {
      body.resume(); // drain, so the 413 reaches the client
      throw tooLarge(maxArchiveBytes);
    }
    // An explicit cluster (422 when unknown), else the one with the fewest tenants, as for POST /tenants.
    const cluster = await this.placement.choose(options.cluster);

    const id = newId();
    const target = { id, dbName: tenantDbName(String(id)), cluster };
    await this.journal.begin(id, target.dbName, target.cluster);
    try {
      const tenant = await this.run(
        body,
        options,
        id,
        this.clusters.connection(cluster).getClient().db(target.dbName),
        cluster,
      );
      await this.journal.end(id);
      return tenant;
    } catch (err) {
      body.resume();
      this.logger.warn(`import of tenant ${String(id)} failed (${(err as Error).name}); undoing`);
      await this.undo.undo(target).catch((cleanupErr: unknown) =>
        // The journal entry stays: ImportSweeper finishes the cleanup.
        this.logger.error(`undoing import ${String(id)} failed (${(cleanupErr as Error).name}); the sweeper retries`),
      );
      throw err;
    }
  }

  private async run(
    body: Readable,
    options: ImportOptions,
    id: Types.ObjectId,
    db: mongo.Db,
    cluster: string,
  ): Promise<TenantResponse> {
    let lastBeat = Date.now();
    const heartbeat = async (): Promise<void> => {
      if (Date.now() - lastBeat < HEARTBEAT_EVERY_MS) return;
      lastBeat = Date.now();
      await this.journal.heartbeat(id);
    };
    const read = await readArchiveEntries(body, this.config.archive, db, heartbeat);
    const manifest = checkAgainstManifest(read);
    await createIndexes(db, manifest);

    const domain = options.domain ?? manifest.tenant.domain;
    try {
      await this.tenants.insertProvisioning({
        _id: id,
        name: options.name ?? manifest.tenant.name,
        domain,
        email: manifest.tenant.email,
        db_name: db.databaseName,
        settings: manifest.tenant.settings,
        cluster,
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw AppError.conflict(ErrorCode.TENANT_EXISTS, `Tenant domain "${domain}" is taken`);
      throw err;
    }
    await this.linkAccounts(db, id);
    const tenant = await this.tenants.transition(id, ['provisioning'], 'active');
    if (!tenant) throw new Error('imported tenant record vanished');
    return toTenantResponse(tenant);
  }

  /** The master login index: one account per imported member, pointing at the new tenant id. */
  private async linkAccounts(db: mongo.Db, tenantId: Types.ObjectId): Promise<void> {
    const users = db.collection<{ _id: Types.ObjectId; email: string }>('users');
    for await (const user of users.find({}, { projection: { _id: 1, email: 1 } })) {
      if (typeof user.email !== 'string') throw invalidArchive('a member has no email');
      try {
        await this.accounts.insert(user._id, user.email, tenantId);
      } catch (err) {
        // Accounts are keyed by the member's id: the archive's source tenant still lives here.
        if (isDuplicateKey(err))
          throw AppError.conflict(
            ErrorCode.TENANT_EXISTS,
            'Members of this archive still have accounts here (is its source tenant still present?); delete it first',
          );
        throw err;
      }
    }
  }
}

export function tooLarge(max: number): AppError {
  return new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Archive larger than ${max} bytes (TENANT_ARCHIVE_MAX_BYTES)`);
}
