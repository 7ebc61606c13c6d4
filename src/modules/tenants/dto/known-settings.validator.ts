import { ValidateBy, type ValidationOptions } from 'class-validator';
import { REQUIRE_VERIFIED_EMAIL_SETTING } from '../../../identity/account-tokens/verified-email-policy.service';

/** Settings the service itself reads, with the type each must have (others are free-form). */
const KNOWN: Record<string, 'boolean'> = { [REQUIRE_VERIFIED_EMAIL_SETTING]: 'boolean' };

/** The settings the service acts on hold the right type (a string "true" would be silently ignored). */
export function KnownSettings(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'knownSettings',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'object' ||
          value === null ||
          Object.entries(KNOWN).every(([key, type]) => {
            const v = (value as Record<string, unknown>)[key];
            return v === undefined || typeof v === type;
          }),
        defaultMessage: () =>
          `$property: ${Object.entries(KNOWN)
            .map(([k, type]) => `${k} must be a ${type}`)
            .join(', ')}`,
      },
    },
    options,
  );
}
