import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { TenantImport } from './tenant-import.schema';

/** Control-plane repository (master database): the journal of imports in flight. */
@Injectable()
export class TenantImportsRepository {
  constructor(@InjectModel(TenantImport.name) private readonly model: Model<TenantImport>) {}

  async begin(id: Types.ObjectId, dbName: string, cluster: string): Promise<void> {
    await this.model.create({ _id: id, db_name: dbName, cluster, heartbeat_at: new Date() });
  }

  async heartbeat(id: Types.ObjectId | string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { heartbeat_at: new Date() } }).exec();
  }

  async end(id: Types.ObjectId | string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }

  stale(before: Date): Promise<TenantImport[]> {
    return this.model
      .find({ heartbeat_at: { $lt: before } })
      .lean<TenantImport[]>()
      .exec();
  }
}
