import { createHash, createHmac } from 'node:crypto';
import type { EnvReader } from './env-reader';
import { MIN_SECRET_BYTES } from './secret-key';

export interface ArchiveConfig {
  /** TENANT_ARCHIVE_MAX_BYTES: largest gzip body `POST /tenants/import` reads (413 beyond). */
  maxArchiveBytes: number;
  /** TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES: bound on the inflated tar (a decompression bomb stops there). */
  maxUncompressedBytes: number;
  /** ERASURE_RECEIPT_KEY: HMAC-SHA256 key signing erasure receipts. */
  receiptKey: string;
  /** Public name of that key (a hash prefix), stored with each receipt so a rotated key is recognisable. */
  receiptKeyId: string;
  /** Where the key came from, for the boot log (never the value). */
  receiptKeySource: 'env' | 'derived';
}

const MIB = 1024 * 1024;

/**
 * ERASURE_RECEIPT_KEY is required in production, like SECRET_KEY. Elsewhere it is derived from
 * SECRET_KEY (HMAC with a fixed label), so development receipts verify across restarts and the
 * JWT secret itself never signs anything but tokens.
 */
export function parseArchiveConfig(r: EnvReader, production: boolean, secretKey: string): ArchiveConfig {
  const maxArchiveBytes = r.int('TENANT_ARCHIVE_MAX_BYTES', 256 * MIB, 1024, 64 * 1024 * MIB);
  const maxUncompressedBytes = r.int('TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES', 2048 * MIB, 1024, 256 * 1024 * MIB);
  if (maxUncompressedBytes < maxArchiveBytes)
    r.problems.push('TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES must be at least TENANT_ARCHIVE_MAX_BYTES');

  const given = r.raw('ERASURE_RECEIPT_KEY');
  let receiptKey: string;
  let receiptKeySource: ArchiveConfig['receiptKeySource'] = 'env';
  if (given !== undefined) {
    if (Buffer.byteLength(given) < MIN_SECRET_BYTES)
      r.problems.push(`ERASURE_RECEIPT_KEY must be at least ${MIN_SECRET_BYTES} bytes (openssl rand -base64 48)`);
    receiptKey = given;
  } else {
    if (production) r.problems.push('ERASURE_RECEIPT_KEY is required in production (openssl rand -base64 48)');
    receiptKey = createHmac('sha256', secretKey).update('erasure-receipt-key/v1').digest('base64url');
    receiptKeySource = 'derived';
  }
  const receiptKeyId = createHash('sha256').update(`erasure-receipt-key-id:${receiptKey}`).digest('hex').slice(0, 16);
  return { maxArchiveBytes, maxUncompressedBytes, receiptKey, receiptKeyId, receiptKeySource };
}
