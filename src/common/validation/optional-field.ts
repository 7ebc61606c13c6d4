import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but not sent as null: class-validator's IsOptional() also skips
 * validation for null, which let `{"name": null}` through to a `$set` that erased the field.
 */
export const OptionalField = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);
