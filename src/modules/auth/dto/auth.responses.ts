import { ApiProperty, OmitType } from '@nestjs/swagger';
import { TenantResponse } from '../../../identity/dto/tenant.response';
import { UserResponse } from '../../../identity/dto/user.response';

export { ProfileResponse } from '../../../identity/dto/profile.response';
export { TokenPairResponse } from '../../../identity/dto/token-pair.response';

/** The user object of a registration: a tenant's first admin, or a superadmin. */
export class RegisteredUserResponse extends OmitType(UserResponse, ['role'] as const) {
  @ApiProperty({ enum: ['superadmin', 'tenant_admin'] })
  role!: 'superadmin' | 'tenant_admin';
}

export class RegisterResponse {
  @ApiProperty({ type: RegisteredUserResponse })
  user!: RegisteredUserResponse;

  @ApiProperty({ type: TenantResponse, nullable: true })
  tenant!: TenantResponse | null;
}
