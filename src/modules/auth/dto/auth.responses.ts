import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { TenantResponse } from '../../../identity/dto/tenant.response';
import { UserResponse } from '../../../identity/dto/user.response';

export { ProfileResponse } from '../../../identity/dto/profile.response';
export { TokenPairResponse } from '../../../identity/dto/token-pair.response';

/** The user object of a registration: a tenant's first admin, or a superadmin. */
export class RegisteredUserResponse extends OmitType(UserResponse, ['role', 'email_verified'] as const) {
  @ApiProperty({ enum: ['superadmin', 'tenant_admin'] })
  role!: 'superadmin' | 'tenant_admin';

  @ApiPropertyOptional({
    description: 'A tenant admin only (superadmins have no verification): false until the mailed link is used',
  })
  email_verified?: boolean;
}

/**
 * The tenant of a sign-up. Its database name is internal: only a superadmin caller sees it (as on
 * the /tenants routes); a self-service sign-up does not.
 */
export class RegisteredTenantResponse extends OmitType(TenantResponse, ['db_name'] as const) {
  @ApiPropertyOptional({ example: 't_6650c5d2f1a2b3c4d5e6f7a8', description: 'Only for a superadmin caller' })
  db_name?: string;
}

export class RegisterResponse {
  @ApiProperty({ type: RegisteredUserResponse })
  user!: RegisteredUserResponse;

  @ApiProperty({ type: RegisteredTenantResponse, nullable: true })
  tenant!: RegisteredTenantResponse | null;
}
