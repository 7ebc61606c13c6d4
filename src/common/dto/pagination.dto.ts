import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `?skip=0&limit=20` (limit 1..100). */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  skip: number = 0;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @Type(() => Number)
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
