import { Injectable, Logger } from '@nestjs/common';
import type { Types } from 'mongoose';
import { ClusterConnections } from '../../infra/database/cluster-connections.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { TenantImportsRepository } from './tenant-imports.repository';

export interface ImportTarget {
  id: Types.ObjectId | string;
  dbName: string;
  cluster: string;
}

/**
 * Removes whatever an unfinished import made: the accounts pointing at the new tenant id, its
 * database, its `provisioning` record, then the journal entry. A tenant that reached `active`
 * finished: only its journal entry goes. Every step is idempotent, so a crash here is retried.
 */
@Injectable()
export class ImportUndo {
  private readonly logger = new Logger(ImportUndo.name);

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly accounts: AccountsRepository,
    private readonly clusters: ClusterConnections,
    private readonly journal: TenantImportsRepository,
  ) {}

  /** Returns false when the import had finished (its tenant is served and stays). */
  async undo(target: ImportTarget): Promise<boolean> {
    const record = await this.tenants.findById(target.id);
    if (record && record.status !== 'provisioning') {
      await this.journal.end(target.id);
      return false;
    }
    await this.accounts.removeTenant(target.id);
    if (this.clusters.has(target.cluster))
      await this.clusters.connection(target.cluster).getClient().db(target.dbName).dropDatabase();
    if (record) await this.tenants.remove(target.id);
    await this.journal.end(target.id);
    this.logger.warn(`import of tenant ${String(target.id)} undone: database ${target.dbName} dropped`);
    return true;
  }

  /** Undoes imports whose heartbeat is older than `staleMs` (their process is gone); returns their ids. */
  async sweep(staleMs: number): Promise<string[]> {
    const undone: string[] = [];
    for (const entry of await this.journal.stale(new Date(Date.now() - staleMs))) {
      if (await this.undo({ id: entry._id, dbName: entry.db_name, cluster: entry.cluster }))
        undone.push(String(entry._id));
    }
    return undone;
  }
}
