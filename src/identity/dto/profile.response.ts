import { ApiProperty } from '@nestjs/swagger';

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
