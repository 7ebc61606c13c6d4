import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MailOutbox } from '../src/infra/mail';
import { OutboxRepository } from '../src/infra/mail/outbox.repository';
import { type SmtpSink, linkToken, startSmtpSink } from './support/smtp-sink';
import { createTestApp, type TestApp } from './support/test-app';

const FAST = {
  MAIL_POLL_INTERVAL_MS: '50',
  MAIL_RETRY_BASE_MS: '100',
  MAIL_RETRY_MAX_MS: '400',
  MAIL_SEND_TIMEOUT_MS: '1000',
  MAIL_LEASE_MS: '5000',
};

const resetData = (tenant: string) => ({
  tenant_name: tenant,
  link: `http://app.test/reset-password?token=${encodeURIComponent('tok.en/+1')}`,
  expires_at: '2030-01-01T00:00:00.000Z',
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

// Promise: MailOutbox.enqueue stores a mail and returns; the sender delivers it over real SMTP,
// retries with backoff while SMTP is down, gives up into `dead` after MAIL_MAX_ATTEMPTS, and
// reports it in /health/ready and /metrics. Without SMTP_URL (development), .eml files.
describe('mail outbox and sender', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let outbox: MailOutbox;
  let repo: OutboxRepository;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      ...FAST,
      SMTP_URL: sink.url,
      MAIL_MAX_ATTEMPTS: '3',
      MAIL_FROM: 'Ops <ops@example.com>',
    });
    outbox = t.app.get(MailOutbox);
    repo = t.app.get(OutboxRepository);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('delivers over SMTP: escaped HTML, plain text with the link, the row marked sent without its data', async () => {
    const to = `reset-${Date.now()}@example.com`;
    const id = await outbox.enqueue({ to, template: 'password-reset', data: resetData('Acme <b>&</b> Co') });
    const [mail] = await sink.waitFor(1, 10_000, (m) => m.to.includes(to));
    expect(mail.subject).toBe('Reset your Acme <b>&</b> Co password');
    expect(mail.from).toBe('ops@example.com');
    expect(mail.text).toContain('your Acme <b>&</b> Co account');
    expect(mail.html).toContain('<strong>Acme &lt;b&gt;&amp;&lt;/b&gt; Co</strong>');
    expect(linkToken(mail, '/reset-password')).toBe('tok.en/+1');
    expect(mail.messageId).toBe(`<${id}@localhost>`);
    const row = await until(async () => {
      const r = await repo.findById(id);
      return r?.status === 'sent' ? r : undefined;
    });
    expect({ status: row.status, attempts: row.attempts, data: row.data, sent: row.sent_at instanceof Date }).toEqual({
      status: 'sent',
      attempts: 0,
      data: undefined,
      sent: true,
    });
  });

  it('a dedupe key makes enqueue idempotent: one row, one mail', async () => {
    const to = `dedupe-${Date.now()}@example.com`;
    const mail = { to, template: 'password-reset' as const, data: resetData('Dedupe'), dedupeKey: `reset:${to}` };
    const [a, b] = await Promise.all([outbox.enqueue(mail), outbox.enqueue(mail)]);
    expect(a).toBe(b);
    await sink.waitFor(1, 10_000, (m) => m.to.includes(to));
    await sleep(500);
    expect(sink.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });

  it('refuses a mail with a missing template value (never a mail with a hole)', async () => {
    await expect(
      outbox.enqueue({ to: 'x@example.com', template: 'invitation', data: { tenant_name: 'A' } }),
    ).rejects.toThrow(/no value for inviter, role, link, expires_at/);
  });

  it('SMTP down: retried with backoff, readiness says mail down (still 200), delivered when SMTP is back', async () => {
    await sink.stop();
    const to = `outage-${Date.now()}@example.com`;
    const id = await outbox.enqueue({ to, template: 'password-reset', data: resetData('Outage') });
    const failed = await until(async () => {
      const r = await repo.findById(id);
      return r && r.attempts >= 1 ? r : undefined;
    });
    expect(failed.status).toMatch(/pending|sending/);
    expect(failed.last_error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect({ status: ready.statusCode, mail: ready.json().checks.mail }).toEqual({ status: 200, mail: 'down' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^mail_send_failures_total\{outcome="retry"\} [1-9]/m);
    await sink.start();
    await sink.waitFor(1, 10_000, (m) => m.to.includes(to));
    const back = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(back.json().checks.mail).toBe('up');
  });

  it('keeps failing: dead after MAIL_MAX_ATTEMPTS tries, listed for the CLI, counted in metrics', async () => {
    await sink.stop();
    try {
      const to = `dead-${Date.now()}@example.com`;
      const id = await outbox.enqueue({ to, template: 'password-reset', data: resetData('Dead') });
      const dead = await until(async () => {
        const r = await repo.findById(id);
        return r?.status === 'dead' ? r : undefined;
      });
      expect({ attempts: dead.attempts, data: dead.data }).toEqual({ attempts: 3, data: undefined });
      const listed = await repo.listDead(100);
      expect(listed.map((m) => m._id)).toContain(id);
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^mail_send_failures_total\{outcome="dead"\} [1-9]/m);
      // Bounded labels: never a tenant or an address.
      expect(metrics.body.split('\n').filter((l) => l.startsWith('mail_') && /tenant|@/.test(l))).toEqual([]);
    } finally {
      await sink.start();
    }
  });
});

// Promise: a mail queued before its action goes out only once the action is confirmed, and is
// cancelled (never sent) when the action never happens.
describe('mail queued before its action (confirm)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  const done = new Set<string>();

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ ...FAST, SMTP_URL: sink.url, MAIL_CONFIRM_WINDOW_MS: '1500' });
    t.app.get(MailOutbox).registerConfirmation('test-action', ({ id }) => Promise.resolve(done.has(id)));
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('waits for the action, then sends; an action that never happens cancels the mail', async () => {
    const outbox = t.app.get(MailOutbox);
    const repo = t.app.get(OutboxRepository);
    const later = `later-${Date.now()}@example.com`;
    const never = `never-${Date.now()}@example.com`;
    await outbox.enqueue({
      to: later,
      template: 'password-reset',
      data: resetData('C'),
      confirm: { kind: 'test-action', id: 'a1' },
    });
    const neverId = await outbox.enqueue({
      to: never,
      template: 'password-reset',
      data: resetData('C'),
      confirm: { kind: 'test-action', id: 'a2' },
    });
    await sleep(400);
    expect(sink.messages.filter((m) => m.to.includes(later))).toHaveLength(0);
    done.add('a1'); // the action lands after its mail was queued
    await sink.waitFor(1, 10_000, (m) => m.to.includes(later));
    const cancelled = await until(async () => {
      const r = await repo.findById(neverId);
      return r?.status === 'cancelled' ? r : undefined;
    });
    expect(cancelled.data).toBeUndefined();
    expect(sink.messages.filter((m) => m.to.includes(never))).toHaveLength(0);
  });
});

// Promise: `npm start` without SMTP_URL writes each mail as an .eml file and logs its path.
describe('embedded default: .eml files', () => {
  it('writes the mail under DATA_DIR/mail and a log line names the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mail-eml-'));
    const lines: string[] = [];
    const t = await createTestApp({ ...FAST, DATA_DIR: dataDir, LOG_LEVEL: 'info' }, { logLines: lines });
    try {
      const id = await t.app
        .get(MailOutbox)
        .enqueue({ to: 'eml@example.com', template: 'password-reset', data: resetData('Files') });
      const dir = join(dataDir, 'mail');
      const file = await until(() => {
        const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
        return Promise.resolve(names[0] ? join(dir, names[0]) : undefined);
      });
      expect(file).toBeDefined();
      const eml = readFileSync(file, 'utf8');
      expect(eml).toMatch(/^To: eml@example\.com$/m);
      expect(eml).toMatch(/^Subject: Reset your Files password$/m);
      expect(eml).toContain(`Message-ID: <${id}@localhost>`);
      await until(() => Promise.resolve(lines.find((l) => l.includes(file)) ? true : undefined));
    } finally {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
