import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../common/dto/pagination.dto';
import type { User } from '../members/user.schema';

export class UserResponse {
  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7a8' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  full_name!: string | null;

  @ApiProperty({ enum: ['tenant_admin', 'user'] })
  role!: 'tenant_admin' | 'user';

  @ApiProperty()
  is_active!: boolean;

  @ApiProperty({ description: 'Proven through a verification (or password reset) link' })
  email_verified!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at!: string;
}

export class UserPageResponse extends PageDto {
  @ApiProperty({ type: [UserResponse] })
  items!: UserResponse[];
}

/** Explicit mapping: a new schema field (or the password hash) never leaks by accident. */
export function toUserResponse(user: User): UserResponse {
  return {
    id: String(user._id),
    email: user.email,
    full_name: user.full_name ?? null,
    role: user.role,
    is_active: user.is_active,
    email_verified: user.email_verified === true,
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
  };
}
