import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { extract, pack } from 'tar-stream';

/** A tenant archive opened in memory: its entries in order, by name. */
export type ArchiveFiles = Array<{ name: string; data: Buffer }>;

export async function unpackArchive(gz: Buffer): Promise<ArchiveFiles> {
  const files: ArchiveFiles = [];
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      files.push({ name: entry.header.name, data: Buffer.concat(chunks) });
    }
  })();
  ex.end(gunzipSync(gz));
  await done;
  return files;
}

export async function packArchive(files: ArchiveFiles): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of p as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  for (const f of files) p.entry({ name: f.name }, f.data);
  p.finalize();
  await collected;
  return gzipSync(Buffer.concat(chunks));
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export interface ManifestView {
  format_version: number;
  tenant: { id: string; name: string; domain: string; email: string; settings: Record<string, unknown> };
  collections: Array<{ name: string; count: number; sha256: string; indexes: Array<{ name: string }> }>;
}

export function manifestOf(files: ArchiveFiles): ManifestView {
  const m = files.find((f) => f.name === 'manifest.json');
  if (!m) throw new Error('no manifest.json');
  return JSON.parse(m.data.toString('utf8'));
}

export function fileOf(files: ArchiveFiles, name: string): Buffer {
  const f = files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in ${files.map((x) => x.name).join(', ')}`);
  return f.data;
}

/** The same archive with one entry replaced (or the manifest rewritten). */
export function withFile(files: ArchiveFiles, name: string, data: Buffer): ArchiveFiles {
  return files.map((f) => (f.name === name ? { name, data } : f));
}
