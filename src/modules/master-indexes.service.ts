import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MongoConnectionService } from '../infra/database/mongo-connection.service';
import { SessionsRepository } from './auth/sessions.repository';
import { SuperadminsRepository } from './auth/superadmins.repository';
import { TenantsRepository } from './tenants/tenants.repository';
import { AccountsRepository } from './users/accounts.repository';

/**
 * Builds the master database's indexes (autoIndex is off). Their unique keys carry correctness
 * (tenant domain, account email per tenant, refresh-token hash), so boot waits for them when
 * MongoDB is up, and builds them on the first connection when it is not. Idempotent.
 */
@Injectable()
export class MasterIndexesService implements OnModuleInit {
  private readonly logger = new Logger(MasterIndexesService.name);

  constructor(
    private readonly mongo: MongoConnectionService,
    private readonly tenants: TenantsRepository,
    private readonly accounts: AccountsRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly sessions: SessionsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.mongo.isOpen) return this.sync();
    void this.mongo.whenConnected().then(() => this.sync());
  }

  async sync(): Promise<void> {
    try {
      for (const model of [this.tenants.model, this.accounts.model, this.superadmins.model, this.sessions.model]) {
        await model.createIndexes();
      }
    } catch (err) {
      this.logger.error(
        `building master indexes failed (${(err as Error).name}); uniqueness is not enforced until they exist`,
      );
    }
  }
}
