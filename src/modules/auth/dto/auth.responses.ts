import { ApiProperty, OmitType } from '@nestjs/swagger';
import { UserResponse } from '../../users/dto/user.response';
import { TenantResponse } from '../../tenants/dto/tenant.response';

export class TokenPairResponse {
  @ApiProperty({ description: 'JWT (HS256), short-lived' })
  access_token!: string;

  @ApiProperty({ description: 'Opaque, single use: every refresh returns a new one' })
  refresh_token!: string;

  @ApiProperty({ example: 'bearer' })
  token_type!: 'bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expires_in!: number;
}

export class TenantRefResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  domain!: string;
}

export class ProfileResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  full_name!: string | null;

  @ApiProperty({ enum: ['superadmin', 'tenant_admin', 'user'] })
  role!: 'superadmin' | 'tenant_admin' | 'user';

  @ApiProperty()
  is_active!: boolean;

  @ApiProperty({ type: TenantRefResponse, nullable: true })
  tenant!: TenantRefResponse | null;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at!: string;
}

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
