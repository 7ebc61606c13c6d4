import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { MasterConnection } from '../../infra/database/master-connection.service';
import { SuperadminsRepository } from './superadmins.repository';
import { SuperadminsService } from './superadmins.service';

/**
 * SUPERADMIN_EMAIL / SUPERADMIN_PASSWORD: creates the first superadmin at start when none exists.
 * Part of the server (AppModule), not of the identity module: CLI commands must not run it.
 */
@Injectable()
export class SuperadminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SuperadminBootstrapService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly master: MasterConnection,
    private readonly superadmins: SuperadminsRepository,
    private readonly superadminsService: SuperadminsService,
  ) {}

  onApplicationBootstrap(): void {
    const wanted = this.config.bootstrapSuperadmin;
    if (!wanted) return;
    // Not awaited: the service starts even while MongoDB is still unreachable.
    void this.master.whenConnected().then(async () => {
      try {
        if (await this.superadmins.exists()) return;
        await this.superadminsService.create(wanted.email, wanted.password, null);
        this.logger.log(`created the first superadmin (${wanted.email}) from SUPERADMIN_EMAIL`);
      } catch (err) {
        this.logger.error(`could not create the superadmin from SUPERADMIN_EMAIL: ${(err as Error).message}`);
      }
    });
  }
}
