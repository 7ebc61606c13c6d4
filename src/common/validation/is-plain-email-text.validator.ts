import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { emailTextProblem } from './email-text';

/**
 * No invisible characters and no mixed scripts (see emailTextProblem). Runs on the normalised
 * value (NormalizeEmail); a non-string is left to IsString.
 */
export function IsPlainEmailText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPlainEmailText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || emailTextProblem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'email'} ${emailTextProblem(String(args?.value)) ?? 'is not a plain email'}`,
      },
    },
    options,
  );
}
