import { Transform } from 'class-transformer';
import { normalizeEmail } from './email-text';

/** Trims, NFKC-normalises and lower-cases a string; anything else passes through for the validators to refuse. */
export const NormalizeEmail = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value));

export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
