'use strict';
/**
 * The fuzzing target (tools/fuzz/run.sh): a throwaway FerretDB + redis-server, the production
 * build (`node dist/main.js`, NODE_ENV=production) and seed data made through the API. Prints one
 * JSON line on stdout (base URL, tokens, ids), then stays up until SIGTERM/SIGINT, when it stops
 * the server and both services and removes their data.
 *
 * The server's own output goes to `$FUZZ_WORK_DIR/server.log` (a fresh temp dir by default).
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startFerretDb, startRedis, freePort, ROOT } = require('../services.cjs');

const READY_TIMEOUT_MS = 60000;

function log(message) {
  process.stderr.write(`[fuzz-target] ${message}\n`);
}

const strongPassword = () => `Fz-${randomBytes(12).toString('base64url')}-9`;
const uniqueEmail = (prefix) => `${prefix}-${randomBytes(5).toString('hex')}@example.com`;

async function call(baseUrl, method, urlPath, body, token) {
  const res = await globalThis.fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`seed: ${method} ${urlPath} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function waitReady(baseUrl, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`server exited (${server.exitCode ?? server.signalCode}) before it was ready`);
    }
    try {
      const res = await globalThis.fetch(`${baseUrl}/health/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function login(baseUrl, email, password) {
  const tokens = await call(baseUrl, 'POST', '/api/v1/auth/login', { email, password });
  return tokens.access_token;
}

/** Superadmin (bootstrap), a tenant (self sign-up) with its admin, a `user`, and projects. */
async function seed(baseUrl) {
  const root = { email: uniqueEmail('fuzz-root'), password: strongPassword() };
  const rootReg = await call(baseUrl, 'POST', '/api/v1/auth/register', { ...root, is_superadmin: true });
  const superadmin = { id: rootReg.user.id, email: root.email, token: await login(baseUrl, root.email, root.password) };

  const admin = { email: uniqueEmail('fuzz-admin'), password: strongPassword() };
  const org = `Fuzz Org ${randomBytes(4).toString('hex')}`;
  const reg = await call(baseUrl, 'POST', '/api/v1/auth/register', {
    ...admin,
    org_name: org,
    full_name: 'Fuzz Admin',
  });
  const tenantAdmin = { id: reg.user.id, email: admin.email, token: await login(baseUrl, admin.email, admin.password) };

  const member = { email: uniqueEmail('fuzz-user'), password: strongPassword() };
  const created = await call(
    baseUrl,
    'POST',
    '/api/v1/users',
    { ...member, full_name: 'Fuzz User', role: 'user' },
    tenantAdmin.token,
  );
  const user = { id: created.id, email: member.email, token: await login(baseUrl, member.email, member.password) };

  const adminProject = await call(
    baseUrl,
    'POST',
    '/api/v1/projects',
    { name: 'fuzz admin project' },
    tenantAdmin.token,
  );
  const userProject = await call(
    baseUrl,
    'POST',
    '/api/v1/projects',
    { name: 'fuzz user project', description: 'made by the seeded user' },
    user.token,
  );

  return {
    tenant: { id: reg.tenant.id, domain: reg.tenant.domain },
    superadmin,
    tenant_admin: tenantAdmin,
    user,
    project_ids: [adminProject.id, userProject.id],
  };
}

async function main() {
  const workDir = process.env.FUZZ_WORK_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'mtb-fuzz-'));
  fs.mkdirSync(workDir, { recursive: true });
  const ferretDir = path.join(workDir, 'ferretdb');
  const serverLog = path.join(workDir, 'server.log');
  const cleanups = [];
  let stopping = false;

  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        log(`cleanup failed: ${err.message}`);
      }
    }
    fs.rmSync(ferretDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGINT', () => void stopAll(0));

  try {
    const [ferret, redis] = await Promise.all([startFerretDb({ dataDir: ferretDir }), startRedis()]);
    cleanups.push(
      () => ferret.stop(),
      () => redis.stop(),
    );

    const port = await freePort();
    const out = fs.openSync(serverLog, 'a');
    const server = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        MONGODB_URL: ferret.url,
        REDIS_URL: redis.url,
        MASTER_DB_NAME: `fuzz_${randomBytes(4).toString('hex')}`,
        SECRET_KEY: randomBytes(48).toString('base64url'),
        ERASURE_RECEIPT_KEY: randomBytes(48).toString('base64url'),
        ALLOW_SUPERADMIN_BOOTSTRAP: 'true',
        // Mail on, towards a port where nothing listens: the mail routes answer as in production
        // (201/202, never 503 MAIL_DISABLED) while their mails wait in the outbox, retried in the background.
        SMTP_URL: 'smtp://127.0.0.1:9',
        MAIL_MAX_ATTEMPTS: '1',
        BCRYPT_COST: '4',
        RATE_LIMIT_LOGIN_IP: '100000/60',
        RATE_LIMIT_LOGIN_ACCOUNT: '100000/60',
        RATE_LIMIT_REFRESH_IP: '100000/60',
        RATE_LIMIT_REGISTER_IP: '100000/60',
        RATE_LIMIT_FORGOT_PASSWORD_IP: '100000/60',
        RATE_LIMIT_ACCOUNT_TOKEN_IP: '100000/60',
        DOCS_ENABLED: 'true',
        // Long enough that no token of the seed expires during a run.
        ACCESS_TOKEN_TTL_SECONDS: '7200',
        LOG_LEVEL: process.env.FUZZ_LOG_LEVEL || 'warn',
      },
    });
    fs.closeSync(out);
    cleanups.push(
      () =>
        new Promise((resolve) => {
          if (server.exitCode !== null || server.signalCode !== null) return resolve();
          server.once('exit', () => resolve());
          server.kill('SIGTERM');
          setTimeout(() => server.kill('SIGKILL'), 15000).unref();
        }),
    );
    server.once('exit', (code, signal) => {
      if (!stopping) {
        log(`server exited unexpectedly (${code ?? signal}); see ${serverLog}`);
        void stopAll(1);
      }
    });

    const baseUrl = `http://127.0.0.1:${port}`;
    await waitReady(baseUrl, server);
    const data = await seed(baseUrl);
    process.stdout.write(
      `${JSON.stringify({ base_url: baseUrl, docs_url: `${baseUrl}/docs-json`, server_log: serverLog, ...data })}\n`,
    );
    log(`ready at ${baseUrl} (server log: ${serverLog}); SIGTERM to stop`);
  } catch (err) {
    log(err.message);
    await stopAll(1);
  }
}

void main();
