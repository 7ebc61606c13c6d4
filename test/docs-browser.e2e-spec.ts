import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { strongPassword, uniqueEmail } from './support/factories';
import { httpRequest, requireBuiltServer, type ServerProcess, spawnServer, waitForStatus } from './support/real-server';
import { freePort } from './support/services';
import { testEnv } from './support/test-app';

/** Debian's chromium (.ci/run installs it); playwright-core never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';
/**
 * A name that is not localhost: the browser treats the page as any plain-HTTP page at a machine's
 * address (not a secure context, so `upgrade-insecure-requests` applies), while Chromium resolves
 * it to 127.0.0.1, so every packet stays on this machine's loopback.
 */
const HOST = 'api.mt-backend.test';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  `--host-resolver-rules=MAP ${HOST} 127.0.0.1, EXCLUDE localhost`,
];
const FAILURES_DIR = join(__dirname, '..', '.data', 'docs-browser');

const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') {
  // No silent skip in CI: .ci/run installs chromium, so its absence is a broken CI script.
  throw new Error(`${CHROMIUM} is missing: the docs browser test needs Debian's chromium (.ci/run installs it)`);
}
if (!available) console.warn(`docs-browser: ${CHROMIUM} missing, skipped (apt-get install -y chromium)`);

// Promise: Swagger UI (/docs) and ReDoc (/redoc) render in a real browser served over plain HTTP at
// an address that is not localhost, load nothing from any other origin (offline), and a person can
// log in from Swagger UI's Authorize (OAuth2 password flow) and call /auth/me with "Try it out".
(available ? describe : describe.skip)('API docs in a real browser (plain HTTP, offline)', () => {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let origin: string;
  let operationCount: number;
  const offServer: string[] = [];
  const pageProblems: string[] = [];
  const admin = { email: uniqueEmail('docs-superadmin'), password: strongPassword() };

  beforeAll(async () => {
    requireBuiltServer();
    const port = await freePort();
    // 0.0.0.0, as in production (the default HOST): reachable at any of the machine's addresses.
    server = spawnServer(testEnv({ HOST: '0.0.0.0', PORT: `${port}` }));
    await waitForStatus(port, '/health/ready', 200, 30000);
    origin = `http://${HOST}:${port}`;

    const bootstrap = await httpRequest(port, {
      method: 'POST',
      path: '/api/v1/auth/register',
      json: { ...admin, is_superadmin: true },
    });
    expect({ status: bootstrap.statusCode, body: bootstrap.json() }).toMatchObject({
      status: 201,
      body: { user: { email: admin.email, role: 'superadmin' } },
    });
    const doc = (await httpRequest(port, { path: '/docs-json' })).json() as { paths: Record<string, object> };
    operationCount = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    context = await browser.newContext();
    // Offline proof: anything but this server's own origin is refused and recorded (an https://
    // request to the same host counts too: that is what upgrade-insecure-requests would cause).
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      offServer.push(url);
      return route.abort('blockedbyclient');
    });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    await server?.exited;
  });

  // Each test judges only its own page.
  let opened: Page[] = [];
  beforeEach(() => {
    offServer.length = 0;
    pageProblems.length = 0;
  });
  afterEach(async () => {
    await Promise.all(opened.map((page) => page.close()));
    opened = [];
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    opened.push(page);
    page.on('pageerror', (err) => pageProblems.push(`${path}: page error: ${err.message}`));
    page.on('console', (msg) => {
      // CSP violations and failed loads are reported on the console.
      if (msg.type() === 'error') pageProblems.push(`${path}: console: ${msg.text()}`);
    });
    const res = await page.goto(`${origin}${path}`);
    expect(res?.status()).toBe(200);
    return page;
  }

  /** Saves the page (screenshot + HTML) under .data/docs-browser when an assertion fails. */
  async function withEvidence(page: Page, name: string, check: () => Promise<void>): Promise<void> {
    try {
      await check();
    } catch (err) {
      mkdirSync(FAILURES_DIR, { recursive: true });
      await page.screenshot({ path: join(FAILURES_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
      writeFileSync(join(FAILURES_DIR, `${name}.html`), await page.content().catch(() => ''));
      throw new Error(
        `${(err as Error).message}\noff-server requests: ${JSON.stringify(offServer)}\n` +
          `page problems: ${JSON.stringify(pageProblems)}\nevidence in ${FAILURES_DIR}/${name}.*`,
        { cause: err },
      );
    }
  }

  it('Swagger UI renders every operation; Authorize (OAuth2 password) then Try it out on /auth/me answers 200', async () => {
    const page = await open('/docs');
    await withEvidence(page, 'swagger', async () => {
      const operations = page.locator('.opblock');
      await operations.first().waitFor({ timeout: 20000 });
      expect(await operations.count()).toBe(operationCount);
      expect(operationCount).toBeGreaterThan(20);

      await page.locator('.auth-wrapper .authorize').click();
      const oauth = page.locator('.auth-container').filter({ hasText: 'OAuth2, password' });
      await oauth.locator('#oauth_username').fill(admin.email);
      await oauth.locator('#oauth_password').fill(admin.password);
      await oauth.locator('button.authorize').click();
      // Swagger UI swaps the button to "Logout" once the token endpoint answered with a token.
      await oauth.locator('button', { hasText: 'Logout' }).waitFor({ timeout: 10000 });
      await page.locator('.btn-done').first().click();

      const me = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/api/v1/auth/me"]') });
      await me.locator('.opblock-summary').first().click();
      await me.locator('.try-out__btn').click();
      await me.locator('.execute').click();
      const live = me.locator('.live-responses-table tr.response');
      await live.locator('.response-col_status').waitFor({ timeout: 10000 });
      expect((await live.locator('.response-col_status').innerText()).trim()).toBe('200');
      const body = await live.locator('.response-col_description pre').first().innerText();
      expect(JSON.parse(body)).toMatchObject({ email: admin.email, role: 'superadmin' });
    });
    expect(pageProblems).toEqual([]);
    expect(offServer).toEqual([]);
    console.log(
      `docs browser: /docs ${operationCount} of ${operationCount} operations, OAuth2 password login then ` +
        `Try it out GET /api/v1/auth/me -> 200 with the email, ${offServer.length} requests off the server`,
    );
  }, 60000);

  it('ReDoc renders from the bundle this service serves', async () => {
    const page = await open('/redoc');
    await withEvidence(page, 'redoc', async () => {
      await page
        .getByRole('heading', { name: /Multi-Tenant Backend API/ })
        .first()
        .waitFor({ timeout: 30000 });
      // Each tag's section lists its operations (a link each); long lists end in "Show N more".
      const operationLinks = page
        .locator('main a[href^="#/"]')
        .filter({ has: page.locator('[data-component-name="Tag/Tag"]') });
      await operationLinks.first().waitFor({ timeout: 10000 });
      const more = page.getByText(/^Show \d+ more/);
      while ((await more.count()) > 0) await more.first().click();
      // ReDoc renders the tag sections lazily, as they scroll into view: a taller intro (the
      // Servers panel) leaves the last ones unrendered until the page is scrolled down.
      const deadline = Date.now() + 10000;
      await page.mouse.move(800, 400);
      while ((await operationLinks.count()) < operationCount && Date.now() < deadline) {
        await page.mouse.wheel(0, 4000);
        await page.waitForTimeout(200);
        while ((await more.count()) > 0) await more.first().click();
      }
      expect(await operationLinks.count()).toBe(operationCount);
      // An operation's own page renders its summary.
      await page.locator('main a[href="#/auth/auth_me"]').first().click();
      await page.getByText("The caller's profile").first().waitFor({ timeout: 10000 });
      // The attribution logo (vendor/redoc, patched off the CDN) is there and drawn.
      const logo = page.getByAltText('redocly logo').first();
      await logo.waitFor({ timeout: 10000 });
      // (no DOM lib in this tsconfig: the element is typed by hand)
      const drawn = await logo.evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      });
      expect(drawn).toBe(true);
    });
    expect(pageProblems).toEqual([]);
    expect(offServer).toEqual([]);
    console.log(
      `docs browser: /redoc ${operationCount} of ${operationCount} operations listed, ` +
        `${offServer.length} requests off the server`,
    );
  }, 60000);
});
