import { defineErrorCodes } from '../../common/errors/module-error-codes';

/**
 * Tenant archives and erasure receipts. ARCHIVE_INVALID (422): an import archive that is not a
 * readable gzip'd tar, lacks or contradicts its manifest (count, SHA-256, unknown file), or holds a
 * document the database refuses; nothing is created. ERASURE_RECEIPT_NOT_FOUND (404): no receipt
 * for that tenant id (never deleted, or unknown).
 */
export const ArchiveError = defineErrorCodes('ARCHIVE_INVALID', 'ERASURE_RECEIPT_NOT_FOUND');
