import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_SECRET_BYTES = 32;

/**
 * Development convenience: without SECRET_KEY, generate one secret and keep it in the
 * (git-ignored) data folder, so tokens survive restarts. Production never gets here.
 */
export function loadOrCreateDevSecret(dataDir: string): { secret: string; source: 'generated' | 'persisted' } {
  const file = join(dataDir, 'secret-key');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(secret) >= MIN_SECRET_BYTES) return { secret, source: 'persisted' };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret, source: 'generated' };
}
