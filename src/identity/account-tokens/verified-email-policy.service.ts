import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { TenantDirectory } from '../tenants/tenant-directory.service';

/** The tenant setting that makes login require a verified address. */
export const REQUIRE_VERIFIED_EMAIL_SETTING = 'require_verified_email';

/**
 * Whether a tenant's members must have a verified address to log in: the tenant's own
 * `settings.require_verified_email` when it holds a boolean, else REQUIRE_VERIFIED_EMAIL.
 */
@Injectable()
export class VerifiedEmailPolicy {
  constructor(
    private readonly tenants: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async requiredIn(tenantId: string): Promise<boolean> {
    const setting = (await this.tenants.read(tenantId)).settings[REQUIRE_VERIFIED_EMAIL_SETTING];
    return typeof setting === 'boolean' ? setting : this.config.accountLifecycle.requireVerifiedEmail;
  }
}
