import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, type FieldError } from '../errors/app-error';
import { acceptsNoBody } from './optional-body';

/** What a field name of ours looks like; anything else sent as a key is not echoed back. */
const FIELD_NAME = /^[A-Za-z0-9_$-]{1,64}$/;
const UNRECOGNISED = '(unrecognised field)';

/**
 * A client's unknown key is echoed only when it looks like a field name: a JSON body sent as a
 * form arrives as one key holding the whole JSON text, password included, and must not come back
 * in the 422 (nor reach a log).
 */
function safeProperty(property: string): string {
  return FIELD_NAME.test(property) ? property : UNRECOGNISED;
}

/** Flattens class-validator's tree into `[{ field: "a.b", message }]`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const property = safeProperty(error.property);
    const field = parent ? `${parent}.${property}` : property;
    for (const raw of Object.values(error.constraints ?? {})) {
      const message = property === error.property ? raw : raw.split(error.property).join(UNRECOGNISED);
      out.push({ field, message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Query DTOs kept per class (see StrictValidationPipe.validQuery); the oldest goes first past it. */
const VALID_QUERIES_PER_DTO = 256;

type Primitive = string | number | boolean | null | undefined;

function isFlat(value: object): value is Record<string, Primitive> {
  return Object.values(value).every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'));
}

/**
 * Strict by default: unknown fields (`role` on /me, `tenant_id`, `$set`, `__proto__`...) are
 * rejected, not silently dropped, so a client learns its request was not what it thought.
 */
class StrictValidationPipe extends ValidationPipe {
  /** Query DTOs that passed, by DTO class and query text: list pages repeat the same few queries. */
  private readonly validQueries = new WeakMap<object, Map<string, Record<string, Primitive>>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // No body at all, where the DTO allows it (@OptionalBody): validated as an empty object.
    if (metadata.type === 'body' && value === undefined && acceptsNoBody(metadata.metatype)) value = {};
    // A body of `null`, `42` or `[]` is not a DTO; ValidationPipe would let `null` through as "empty".
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw AppError.validation([{ field: 'body', message: 'body must be a JSON object' }]);
    }
    if (metadata.type === 'query' && metadata.data === undefined && metadata.metatype && isPlainQuery(value)) {
      return this.validQuery(value, metadata, metadata.metatype);
    }
    return super.transform(value, metadata);
  }

  /**
   * A whole-query DTO, validated once per distinct query text and class: transforming and
   * validating it (class-transformer, then class-validator) was about a fifth of the CPU of a
   * cached list page (bench row 1l), for the same `?limit=20` every time. Both are pure functions
   * of the query here (no custom or async validators on query DTOs; transforms only trim and
   * parse). Only flat results are kept, and each request gets its own copy, so a handler that
   * changes its DTO changes nothing for the next one. Refused queries are never kept.
   */
  private async validQuery(value: Record<string, unknown>, metadata: ArgumentMetadata, dto: object): Promise<unknown> {
    const key = JSON.stringify(value);
    let known = this.validQueries.get(dto);
    const hit = known?.get(key);
    if (hit) return Object.assign(Object.create(Object.getPrototypeOf(hit) as object) as object, hit);
    const result: unknown = await super.transform(value, metadata);
    if (typeof result !== 'object' || result === null || !isFlat(result)) return result;
    if (!known) this.validQueries.set(dto, (known = new Map()));
    if (known.size >= VALID_QUERIES_PER_DTO) known.delete(known.keys().next().value!);
    known.set(key, Object.assign(Object.create(Object.getPrototypeOf(result) as object) as object, result));
    return result;
  }
}

/** A query string as Fastify parses it: string values, or arrays of them for repeated keys. */
function isPlainQuery(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation(flattenValidationErrors(errors)),
  });
}
