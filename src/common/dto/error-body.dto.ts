import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/** The documented error body (API.md), for OpenAPI. */
export class ErrorBodyDto {
  @ApiProperty({ example: 422 })
  status!: number;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.VALIDATION_FAILED })
  code!: ErrorCode;

  @ApiProperty({ example: 'Request validation failed' })
  detail!: string;

  @ApiProperty({ example: '8f14e45f-ceea-467f-a0e6-1f5c6b1f2b7e' })
  request_id!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Only for VALIDATION_FAILED' })
  errors?: FieldErrorDto[];
}
