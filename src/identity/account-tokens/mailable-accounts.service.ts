import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { Account } from '../accounts/account.schema';
import { MembersRepository } from '../members/members.repository';
import { SuperadminsRepository } from '../superadmins/superadmins.repository';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { TenantStatusService } from '../tenants/tenant-status.service';

/** An account that may receive a lifecycle mail and use its link, as it is now. */
export interface MailableAccount {
  accountId: Types.ObjectId;
  tenantId: Types.ObjectId | null;
  email: string;
  fullName: string | null;
  tenantName: string | null;
  emailVerified: boolean;
}

/**
 * Reads an account (a member of an active tenant, or a superadmin) for the lifecycle flows; null
 * when it is gone, deactivated, or its tenant is not active: such an account gets no link, and a
 * link it got before no longer works.
 */
@Injectable()
export class MailableAccounts {
  constructor(
    private readonly users: MembersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly tenantStatus: TenantStatusService,
    private readonly tenants: TenantDirectory,
  ) {}

  async read(ref: Pick<Account, '_id' | 'tenant_id'>): Promise<MailableAccount | null> {
    if (ref.tenant_id === null) {
      const admin = await this.superadmins.findById(ref._id);
      if (!admin?.is_active) return null;
      const base = { accountId: admin._id, tenantId: null, tenantName: null, emailVerified: true };
      return { ...base, email: admin.email, fullName: admin.full_name ?? null };
    }
    const tenantId = String(ref.tenant_id);
    if ((await this.tenantStatus.status(tenantId)) !== 'active') return null;
    const user = await this.users.inTenant(tenantId).findById(String(ref._id));
    if (!user?.is_active) return null;
    const tenant = await this.tenants.read(tenantId);
    return {
      accountId: user._id,
      tenantId: ref.tenant_id,
      email: user.email,
      fullName: user.full_name ?? null,
      tenantName: tenant.name,
      emailVerified: user.email_verified === true,
    };
  }
}
