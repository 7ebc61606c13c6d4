import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { ACTIVE_MOVE_STATUSES, TenantMove } from './tenant-move.schema';

/** Control-plane repository of tenant moves (master database). */
@Injectable()
export class TenantMovesRepository {
  constructor(@InjectModel(TenantMove.name) private readonly model: Model<TenantMove>) {}

  find(tenantId: string | Types.ObjectId): Promise<TenantMove | null> {
    return this.model.findById(tenantId).lean<TenantMove>().exec();
  }

  /** Inserts a new move; false when the tenant already has one (`_id` = tenant id is unique). */
  async insert(move: TenantMove): Promise<boolean> {
    try {
      await this.model.create(move);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Removes the tenant's previous move if it is finished (the caller holds the start lease). */
  async removeFinished(tenantId: string): Promise<void> {
    await this.model.deleteOne({ _id: tenantId, status: { $nin: ACTIVE_MOVE_STATUSES } }).exec();
  }

  async update(tenantId: string, set: Partial<Omit<TenantMove, '_id'>>): Promise<void> {
    await this.model.updateOne({ _id: tenantId }, { $set: set }).exec();
  }

  async unfinished(): Promise<TenantMove[]> {
    return this.model
      .find({ status: { $in: ACTIVE_MOVE_STATUSES } })
      .lean<TenantMove[]>()
      .exec();
  }
}
