import { ApiProperty } from '@nestjs/swagger';

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
