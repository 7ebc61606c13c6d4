import type { PageQueryDto } from '../../common/dto/pagination.dto';

/** POST /tenants, as validated by the HTTP layer (CreateTenantDto). */
export interface NewTenant {
  name: string;
  domain: string;
  email: string;
  admin_name: string;
  admin_email?: string;
  admin_password: string;
  cluster?: string;
}

/** PATCH /tenants/{id} (UpdateTenantDto); absent fields stay as they are. */
export interface TenantChange {
  name?: string;
  email?: string;
  status?: 'active' | 'suspended';
  settings?: Record<string, unknown>;
}

export interface TenantListQuery extends PageQueryDto {
  status?: 'active' | 'suspended';
}
