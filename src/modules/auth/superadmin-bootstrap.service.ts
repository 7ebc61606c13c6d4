import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { MongoConnectionService } from '../../infra/database/mongo-connection.service';
import { AuthService } from './auth.service';
import { SuperadminsRepository } from './superadmins.repository';

/** SUPERADMIN_EMAIL / SUPERADMIN_PASSWORD: creates the first superadmin at start when none exists. */
@Injectable()
export class SuperadminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SuperadminBootstrapService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mongo: MongoConnectionService,
    private readonly superadmins: SuperadminsRepository,
    private readonly auth: AuthService,
  ) {}

  onApplicationBootstrap(): void {
    const wanted = this.config.bootstrapSuperadmin;
    if (!wanted) return;
    // Not awaited: the service starts even while MongoDB is still unreachable.
    void this.mongo.whenConnected().then(async () => {
      try {
        if (await this.superadmins.exists()) return;
        await this.auth.createSuperadmin(wanted.email, wanted.password, null);
        this.logger.log(`created the first superadmin (${wanted.email}) from SUPERADMIN_EMAIL`);
      } catch (err) {
        this.logger.error(`could not create the superadmin from SUPERADMIN_EMAIL: ${(err as Error).message}`);
      }
    });
  }
}
