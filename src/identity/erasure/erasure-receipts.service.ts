import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AppError } from '../../common/errors/app-error';
import { isObjectId } from '../../common/ids';
import { cacheKey } from '../../infra/cache/cache-keys';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { ArchiveError } from '../archive/archive.errors';
import type { ErasureReceiptBodyDto, ErasureReceiptResponse } from '../dto/erasure-receipt.response';
import type { Tenant } from '../tenants/tenant.schema';
import { ErasureReceipt } from './erasure-receipt.schema';
import { RECEIPT_SIGNATURE_ALGORITHM, signReceipt, verifyReceipt } from './receipt-signature';

export const RECEIPT_VERSION = 1;

export interface ErasedData {
  deleted: Record<string, number>;
  droppedAt: Date;
}

const PLATFORM = { platform: true } as const;

/** Signed erasure receipts (master database), written by tenant deletion before its record goes. */
@Injectable()
export class ErasureReceipts {
  constructor(
    @InjectModel(ErasureReceipt.name) private readonly model: Model<ErasureReceipt>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores the receipt of `tenant`'s erasure. The first complete erasure wins ($setOnInsert): a
   * repeated DELETE (resumed after a 503) finds the counts already taken and keeps them.
   */
  async record(tenant: Tenant, erased: ErasedData, fence: { startedAt: Date; instances: number }): Promise<void> {
    const id = String(tenant._id);
    const body: ErasureReceiptBodyDto = {
      receipt_version: RECEIPT_VERSION,
      tenant_id: id,
      tenant_domain: tenant.domain,
      databases_dropped: [
        { name: tenant.db_name, cluster: tenant.cluster, dropped_at: erased.droppedAt.toISOString() },
      ],
      deleted: erased.deleted,
      // The keys TenantDirectory.forget and TenantStatusService.forget drop (cache-keys.ts).
      cache_keys_invalidated: [cacheKey(PLATFORM, 'tenant', id), cacheKey(PLATFORM, 'tenant-state', id)],
      instances_fenced: fence.instances,
      deletion_started_at: fence.startedAt.toISOString(),
      completed_at: new Date().toISOString(),
    };
    const { receiptKey, receiptKeyId } = this.config.archive;
    await this.model
      .updateOne(
        { _id: tenant._id },
        { $setOnInsert: { body, signature: signReceipt(body, receiptKey), key_id: receiptKeyId } },
        { upsert: true },
      )
      .exec();
  }

  async read(tenantId: string): Promise<ErasureReceiptResponse> {
    const doc = isObjectId(tenantId) ? await this.model.findById(tenantId).lean<ErasureReceipt>().exec() : null;
    if (!doc) throw AppError.notFound(ArchiveError.ERASURE_RECEIPT_NOT_FOUND, 'No erasure receipt for this tenant id');
    return {
      receipt: doc.body as unknown as ErasureReceiptBodyDto,
      algorithm: RECEIPT_SIGNATURE_ALGORITHM,
      signature: doc.signature,
      key_id: doc.key_id,
      signature_valid:
        doc.key_id === this.config.archive.receiptKeyId &&
        verifyReceipt(doc.body, doc.signature, this.config.archive.receiptKey),
    };
  }
}
