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

/**
 * Strict by default: unknown fields (`role` on /me, `tenant_id`, `$set`, `__proto__`...) are
 * rejected, not silently dropped, so a client learns its request was not what it thought.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // No body at all, where the DTO allows it (@OptionalBody): validated as an empty object.
    if (metadata.type === 'body' && value === undefined && acceptsNoBody(metadata.metatype)) value = {};
    // A body of `null`, `42` or `[]` is not a DTO; ValidationPipe would let `null` through as "empty".
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw AppError.validation([{ field: 'body', message: 'body must be a JSON object' }]);
    }
    return super.transform(value, metadata);
  }
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
