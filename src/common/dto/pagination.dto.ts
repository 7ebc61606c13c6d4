import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * Query strings are text: only plain decimal digits become a number. `Number()` would also take
 * '', ' ', '0x10', '1e1', '+5' and '5.0'; those stay strings here and fail @IsInt with a 422.
 */
const DecimalInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  );

/** `?skip=0&limit=20` (limit 1..100). */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 })
  @DecimalInteger()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  skip: number = 0;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

export function toPage<T>(items: T[], total: number, query: PageQueryDto): Page<T> {
  return { items, total, page: Math.floor(query.skip / query.limit) + 1, size: query.limit };
}

/** OpenAPI shape of a page; subclasses redeclare `items` with their item type. */
export abstract class PageDto {
  @ApiProperty({ example: 42 })
  total!: number;

  @ApiProperty({ example: 1, description: 'skip / limit + 1' })
  page!: number;

  @ApiProperty({ example: 20, description: 'the limit used' })
  size!: number;
}
