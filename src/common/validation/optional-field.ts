import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but not sent as null: class-validator's IsOptional() also skips
 * validation for null, which let `{"name": null}` through to a `$set` that erased the field.
 */
export const OptionalField = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/**
 * The field may be left out or sent as null (to clear it); any other value is validated. For
 * fields whose schema default is null, e.g. a task's `due_at` or `assignee_id`.
 */
export const NullableField = () =>
  ValidateIf((_object: unknown, value: unknown) => value !== undefined && value !== null);
