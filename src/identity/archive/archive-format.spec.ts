import { collectionEntryName, collectionOfEntry, parseManifest } from './archive-format';

const manifest = (patch: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      format: 'mt-tenant-archive',
      format_version: 1,
      created_at: '2026-11-30T00:00:00.000Z',
      tenant: { id: 'x', name: 'Acme', domain: 'acme', email: 'a@example.com', settings: {} },
      collections: [
        { name: 'users', count: 1, sha256: 'a'.repeat(64), indexes: [{ key: { _id: 1 }, name: '_id_', options: {} }] },
      ],
      ...patch,
    }),
  );

describe('tenant archive format', () => {
  it('maps collection files both ways and refuses other names (no paths, no system collections)', () => {
    expect(collectionOfEntry(collectionEntryName('projects'))).toBe('projects');
    for (const bad of [
      'collections/../x.ndjson',
      'collections/system.users.ndjson',
      'collections/a/b.ndjson',
      'users.ndjson',
      'collections/.ndjson',
    ])
      expect(collectionOfEntry(bad)).toBeNull();
  });

  it('parses a valid manifest', () => {
    expect(parseManifest(manifest()).collections[0].name).toBe('users');
  });

  it.each([
    ['not JSON', Buffer.from('{'), /not JSON/],
    ['another format', manifest({ format: 'zip' }), /not a tenant archive manifest/],
    ['a newer version', manifest({ format_version: 2 }), /format_version 2 is not supported/],
    [
      'a bad domain',
      manifest({ tenant: { id: 'x', name: 'Acme', domain: 'Not A Domain', email: 'a@b.c', settings: {} } }),
      /invalid domain/,
    ],
    [
      'a negative count',
      manifest({ collections: [{ name: 'users', count: -1, sha256: 'a'.repeat(64), indexes: [] }] }),
      /invalid collection entry/,
    ],
    [
      'a short hash',
      manifest({ collections: [{ name: 'users', count: 1, sha256: 'abc', indexes: [] }] }),
      /invalid collection entry/,
    ],
    [
      'a collection twice',
      manifest({
        collections: [
          { name: 'users', count: 0, sha256: 'a'.repeat(64), indexes: [] },
          { name: 'users', count: 0, sha256: 'a'.repeat(64), indexes: [] },
        ],
      }),
      /twice/,
    ],
  ])('refuses %s as ARCHIVE_INVALID', (_what, raw, detail) => {
    expect(() => parseManifest(raw)).toThrow(
      expect.objectContaining({ status: 422, code: 'ARCHIVE_INVALID', detail: expect.stringMatching(detail) }),
    );
  });
});
