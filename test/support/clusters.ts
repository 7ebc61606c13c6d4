import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mongo } from 'mongoose';
import { databaseDigest, type Digest } from '../../src/identity/moves/tenant-copy';
import { type Factory, type Session, strongPassword, uniqueEmail } from './factories';
import { requireService } from './test-app';

/** The two clusters of the multi-cluster specs: the harness's two FerretDB instances. */
export function twoClusters(): { default: string; eu: string; env: string } {
  const urls = { default: requireService('E2E_MONGODB_URL'), eu: requireService('E2E_MONGODB_URL_2') };
  return { ...urls, env: `default=${urls.default},eu=${urls.eu}` };
}

/** Runs `fn` with a driver client of its own on `url` (what the tests check with, not the app). */
export async function withClient<T>(url: string, fn: (client: mongo.MongoClient) => Promise<T>): Promise<T> {
  const client = new mongo.MongoClient(url, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.close();
  }
}

export function databasesOn(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    return databases.map((d) => d.name);
  });
}

export function digestOf(url: string, db: string): Promise<Record<string, Digest>> {
  return withClient(url, (client) => databaseDigest(client.db(db)));
}

export function projectNamesOn(url: string, db: string): Promise<string[]> {
  return withClient(url, async (client) =>
    (await client.db(db).collection<{ name: string }>('projects').find({}).toArray()).map((p) => p.name),
  );
}

export interface PlacedTenant {
  tenantId: string;
  body: Record<string, unknown>;
  admin: Session;
}

/** A tenant made by the superadmin through POST /tenants (with `cluster` when given), admin logged in. */
export async function placeTenant(app: NestFastifyApplication, f: Factory, cluster?: string): Promise<PlacedTenant> {
  const root = await f.superadminSession();
  const email = uniqueEmail('admin');
  const password = strongPassword();
  const h = Math.random().toString(16).slice(2, 10);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/tenants',
    headers: root.auth,
    payload: {
      name: `Cluster ${h}`,
      domain: `cluster-${h}`,
      email,
      admin_name: 'Cluster Admin',
      admin_password: password,
      ...(cluster ? { cluster } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`POST /tenants: ${res.statusCode} ${res.body}`);
  const body = res.json<Record<string, unknown>>();
  const tenantId = body.id as string;
  return { tenantId, body, admin: await f.session(email, password, '', `cluster-${h}`) };
}
