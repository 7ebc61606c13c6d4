import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import type { RawEnv } from './env-reader';

/** The process environment over an optional `.env` (real environment variables win). */
export function loadDotEnv(env: RawEnv, file = '.env'): RawEnv {
  if (!existsSync(file)) return env;
  return { ...parse(readFileSync(file)), ...env };
}
