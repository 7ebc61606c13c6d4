import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { IsPlainEmailText } from './is-plain-email-text.validator';
import { OptionalField } from './optional-field';
import { NormalizeEmail } from './transforms';

/**
 * An email field: trimmed, NFKC-normalised, lower-cased, at most 254 characters, without invisible
 * characters or mixed scripts, validated and documented alike.
 */
export function EmailField(doc: { example: string; description?: string; optional?: boolean }): PropertyDecorator {
  const api = { example: doc.example, format: 'email', maxLength: 254, description: doc.description };
  return applyDecorators(
    doc.optional ? ApiPropertyOptional(api) : ApiProperty(api),
    ...(doc.optional ? [OptionalField()] : []),
    NormalizeEmail(),
    IsString(),
    MaxLength(254),
    IsEmail(),
    IsPlainEmailText(),
  );
}

/**
 * A new password. The DTO only bounds its size (so a 1 MiB string is not hashed); the policy
 * (length 8..128, blocklist) is PasswordService's, answered as 422 WEAK_PASSWORD.
 */
export function NewPasswordField(example?: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      ...(example === undefined ? {} : { example }),
      minLength: 8,
      maxLength: 128,
      description: 'Password policy: 8..128 chars, not a common password',
    }),
    IsString(),
    MaxLength(1024),
  );
}
