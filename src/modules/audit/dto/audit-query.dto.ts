import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { OptionalField } from '../../../common/validation/optional-field';

/** Only plain decimal digits become a number; anything else stays text and fails @IsInt (422). */
const DecimalInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );

export const AUDIT_DEFAULT_LIMIT = 20;

export const AUDIT_LIST_DESCRIPTION =
  'Newest first. Filters: `action`, `actor_id`, `since` / `until` (ISO 8601; `since` inclusive, `until` exclusive). ' +
  'Cursor pagination: `?limit=20` (1..100), then `?after=<next>` with the `next` of the previous page (null on the last).';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'auth.login', maxLength: 64 })
  @OptionalField()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, { message: 'action must look like auth.login' })
  @Length(1, 64)
  action?: string;

  @ApiPropertyOptional({ example: '665f1c2a9d3e4b0012345678', maxLength: 64 })
  @OptionalField()
  @IsString()
  @Length(1, 64)
  actor_id?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @OptionalField()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @OptionalField()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The `next` of the previous page' })
  @OptionalField()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: AUDIT_DEFAULT_LIMIT })
  @OptionalField()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
