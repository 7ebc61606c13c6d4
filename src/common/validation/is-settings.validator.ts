import { ValidateBy, type ValidationOptions } from 'class-validator';

const KEY = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_DEPTH = 4;
const MAX_BYTES = 16 * 1024;

function valid(value: unknown, depth: number): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.length <= 100 && value.every((v) => valid(v, depth + 1));
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  // Keys with `$` or `.` are operators/paths to MongoDB (and unsupported by FerretDB); `__proto__`
  // and friends fail the pattern too.
  return Object.entries(value).every(([k, v]) => KEY.test(k) && valid(v, depth + 1));
}

/** A small JSON object of plain keys: what tenant `settings` may hold. */
export function IsSettings(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSettings',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          valid(value, 1) &&
          Buffer.byteLength(JSON.stringify(value)) <= MAX_BYTES,
        defaultMessage: () =>
          `$property must be a JSON object (keys [A-Za-z0-9_-], depth <= ${MAX_DEPTH}, <= ${MAX_BYTES} bytes)`,
      },
    },
    options,
  );
}
