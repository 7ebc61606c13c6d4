import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigError } from './config.error';
import { loadConfig } from './load-config';

const cwd = mkdtempSync(join(tmpdir(), 'mail-config-'));
const PROD = {
  NODE_ENV: 'production',
  SECRET_KEY: 'x'.repeat(48),
  ERASURE_RECEIPT_KEY: 'e'.repeat(48),
  MONGODB_URL: 'mongodb://db:27017',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
}

// Promise: production never runs with mail silently going nowhere; development writes .eml files.
describe('mail config', () => {
  it('production without SMTP_URL refuses to boot unless MAIL_DISABLED=true', () => {
    expect(problems(PROD)).toEqual([
      'SMTP_URL is required in production (or set MAIL_DISABLED=true to run without mail)',
    ]);
    expect(problems({ ...PROD, MAIL_DISABLED: 'true' })).toEqual([]);
    expect(problems({ ...PROD, SMTP_URL: 'smtp://relay.example.com:587' })).toEqual([]);
  });

  it('defaults outside production: file transport (no SMTP_URL), links to the local server', () => {
    const config = loadConfig({ PORT: '8123' }, cwd);
    expect(config.mail).toEqual({
      disabled: false,
      smtpUrl: undefined,
      from: 'Multi-tenant backend <no-reply@localhost>',
      publicAppUrl: 'http://localhost:8123',
      pollIntervalMs: 2000,
      retryBaseMs: 10000,
      retryMaxMs: 1800000,
      maxAttempts: 8,
      leaseMs: 60000,
      sendTimeoutMs: 20000,
      confirmWindowMs: 60000,
    });
    expect(config.invitationTtlSeconds).toBe(7 * 86400);
  });

  it('rejects a non-SMTP URL without echoing it, and a trailing slash of PUBLIC_APP_URL is dropped', () => {
    expect(problems({ SMTP_URL: 'http://user:Secret-Pw@x' })).toEqual([
      'SMTP_URL must use smtp: or smtps:, got "http:"',
    ]);
    expect(loadConfig({ PUBLIC_APP_URL: 'https://app.example.com/' }, cwd).mail.publicAppUrl).toBe(
      'https://app.example.com',
    );
  });

  it('the lease must outlast one send (else a slow send is claimed and sent again)', () => {
    expect(problems({ MAIL_LEASE_MS: '1000', MAIL_SEND_TIMEOUT_MS: '1000' })).toEqual([
      'MAIL_LEASE_MS (1000) must be at least 3 x MAIL_SEND_TIMEOUT_MS (1000)',
    ]);
  });
});
