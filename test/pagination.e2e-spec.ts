import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const PROJECTS = 7;

// Promise: a list pages with either pair, `skip/limit` or `page/size` (what the answer itself
// says), to the same items; mixing the pairs, or a value out of bounds, is a 422 naming the fields.
describe('pagination: skip/limit or page/size', () => {
  let t: TestApp;
  let f: Factory;
  let tenant: TenantSession;
  let ids: string[]; // in list order (creation order)

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    tenant = await f.tenant();
    ids = [];
    for (let i = 0; i < PROJECTS; i++) ids.push(await f.project(tenant.admin, `Project ${i}`));
  });
  afterAll(() => t.close());

  const list = (query: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/projects${query}`, headers: tenant.admin.auth });

  async function pageOf(query: string): Promise<{ ids: string[]; total: number; page: number; size: number }> {
    const res = await list(query);
    expect({ query, status: res.statusCode }).toEqual({ query, status: 200 });
    const body = res.json();
    return { ids: body.items.map((p: { id: string }) => p.id), total: body.total, page: body.page, size: body.size };
  }

  it.each([
    ['', 0, 20, 1],
    ['?skip=5&limit=5', 5, 5, 2],
    ['?page=2&size=5', 5, 5, 2],
    ['?limit=3', 0, 3, 1],
    ['?size=3', 0, 3, 1],
    ['?skip=3', 3, 20, 1],
    ['?page=3&size=3', 6, 3, 3],
    ['?page=2', 20, 20, 2],
  ])('%s -> items [%i, +%i), page %i', async (query, skip, size, page) => {
    expect(await pageOf(query)).toEqual({ ids: ids.slice(skip, skip + size), total: PROJECTS, page, size });
  });

  it('both pairs name the same page', async () => {
    expect(await pageOf('?page=4&size=2')).toEqual(await pageOf('?skip=6&limit=2'));
  });

  it.each([
    ['?page=2&limit=5', ['limit cannot be combined with page', 'page cannot be combined with limit']],
    ['?skip=5&size=5', ['skip cannot be combined with size', 'size cannot be combined with skip']],
    [
      '?skip=0&limit=5&page=1&size=5',
      [
        'skip cannot be combined with page and size',
        'limit cannot be combined with page and size',
        'page cannot be combined with skip and limit',
        'size cannot be combined with skip and limit',
      ],
    ],
  ])('mixing the pairs (%s) is a 422 naming the fields', async (query, messages) => {
    const body = expectErrorBody(await list(query), 422, 'VALIDATION_FAILED');
    expect(body.errors).toEqual(
      messages.map((message) => ({
        field: message.split(' ')[0],
        message: `${message}: send skip/limit or page/size, not both`,
      })),
    );
  });

  it.each([
    ['?page=0', 'page', 'page must not be less than 1'],
    ['?page=10001', 'page', 'page must not be greater than 10000'],
    ['?size=0', 'size', 'size must not be less than 1'],
    ['?size=101', 'size', 'size must not be greater than 100'],
    ['?page=1.5', 'page', 'page must be an integer number'],
    ['?size=abc', 'size', 'size must be an integer number'],
    ['?limit=101', 'limit', 'limit must not be greater than 100'],
  ])('%s is a 422 on %s', async (query, field, message) => {
    const body = expectErrorBody(await list(query), 422, 'VALIDATION_FAILED');
    expect(body.errors).toEqual(expect.arrayContaining([{ field, message }]));
  });

  it('users and tenants lists take page/size too', async () => {
    await f.member(tenant);
    const users = await t.app.inject({ method: 'GET', url: '/api/v1/users?page=2&size=1', headers: tenant.admin.auth });
    expect(users.json()).toEqual({
      items: [expect.objectContaining({ role: 'user' })], // the admin is first, the member second
      total: 2,
      page: 2,
      size: 1,
    });
    const root = await f.superadminSession();
    const tenants = await t.app.inject({ method: 'GET', url: '/api/v1/tenants?page=1&size=1', headers: root.auth });
    expect(tenants.json()).toEqual({ items: [expect.any(Object)], total: expect.any(Number), page: 1, size: 1 });
    const mixed = await t.app.inject({ method: 'GET', url: '/api/v1/tenants?page=1&limit=1', headers: root.auth });
    expectErrorBody(mixed, 422, 'VALIDATION_FAILED');
  });
});
