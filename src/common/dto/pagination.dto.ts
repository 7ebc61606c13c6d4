import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { OptionalField } from '../validation/optional-field';

/**
 * Query strings are text: only plain decimal digits become a number. `Number()` would also take
 * '', ' ', '0x10', '1e1', '+5' and '5.0'; those stay strings here and fail @IsInt with a 422.
 */
const DecimalInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  );

const DEFAULT_SIZE = 20;
const MAX_SIZE = 100;
const MAX_SKIP = 1_000_000;
/** The last page of the largest size still starts within MAX_SKIP: (10_000 - 1) * 100 < 1_000_000. */
const MAX_PAGE = 10_000;

type PageField = 'skip' | 'limit' | 'page' | 'size';

/** A field of one pair is refused when a field of the other pair was sent too. */
const NotWith = (others: readonly PageField[]) =>
  ValidateBy({
    name: 'notWith',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        others.every((field) => (args?.object as Record<string, unknown>)[field] === undefined),
      defaultMessage: (args?: ValidationArguments) => {
        const sent = others.filter((field) => (args?.object as Record<string, unknown>)[field] !== undefined);
        return `${args?.property} cannot be combined with ${sent.join(' and ')}: send skip/limit or page/size, not both`;
      },
    },
  });

const PAIR_NOTE = 'Send `skip`/`limit` or `page`/`size`, not both (422).';

/** Description of every list operation (OpenAPI cannot say "one pair or the other" of query parameters). */
export const PAGINATION_DESCRIPTION =
  'Pages with `?skip=40&limit=20` or `?page=3&size=20` (the same page); mixing the pairs answers 422 ' +
  'naming the fields. Defaults: the first page of 20; `limit`/`size` 1..100, `skip` 0..1000000, `page` 1..10000. ' +
  'The answer gives `page` and `size` either way. Items come in creation order, oldest first.';

/**
 * Either pair pages a list: `?skip=40&limit=20` (the FastAPI service's) or `?page=3&size=20` (what
 * a page answer says). Read the window through `pageWindow()`, never the raw fields.
 */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SKIP,
    description: `Items to skip (default 0). ${PAIR_NOTE}`,
  })
  @OptionalField()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  @Max(MAX_SKIP)
  @NotWith(['page', 'size'])
  skip?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_SIZE,
    description: `Items per page (default ${DEFAULT_SIZE}). ${PAIR_NOTE}`,
  })
  @OptionalField()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_SIZE)
  @NotWith(['page', 'size'])
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE,
    description: `Page number, from 1 (default 1). ${PAIR_NOTE}`,
  })
  @OptionalField()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  @NotWith(['skip', 'limit'])
  page?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_SIZE,
    description: `Items per page (default ${DEFAULT_SIZE}), the same as limit. ${PAIR_NOTE}`,
  })
  @OptionalField()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_SIZE)
  @NotWith(['skip', 'limit'])
  size?: number;
}

/** The slice of a list a validated query asks for, whichever pair it used. */
export interface PageWindow {
  skip: number;
  limit: number;
}

export function pageWindow(query: PageQueryDto): PageWindow {
  if (query.page !== undefined || query.size !== undefined) {
    const size = query.size ?? DEFAULT_SIZE;
    return { skip: ((query.page ?? 1) - 1) * size, limit: size };
  }
  return { skip: query.skip ?? 0, limit: query.limit ?? DEFAULT_SIZE };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

export function toPage<T>(items: T[], total: number, query: PageQueryDto): Page<T> {
  const { skip, limit } = pageWindow(query);
  return { items, total, page: Math.floor(skip / limit) + 1, size: limit };
}

/** OpenAPI shape of a page; subclasses redeclare `items` with their item type. */
export abstract class PageDto {
  @ApiProperty({ example: 42 })
  total!: number;

  @ApiProperty({ example: 1, description: 'The page number: `page` as sent, or skip / limit + 1' })
  page!: number;

  @ApiProperty({ example: 20, description: 'Items per page: `size` or `limit` as sent (default 20)' })
  size!: number;
}
