import type { TenantRole } from '../../common/auth/principal';

/** A new member of the request's tenant, as validated by the HTTP layer (CreateUserDto). */
export interface NewMember {
  email: string;
  password: string;
  full_name?: string;
  role?: TenantRole;
  /** True when the address is already proven (an accepted invitation reached that mailbox). */
  email_verified?: boolean;
}

/** A change to a member (UpdateUserDto); absent fields stay as they are. */
export interface MemberChange {
  full_name?: string;
  role?: TenantRole;
  is_active?: boolean;
}
