import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isObjectId, toObjectId } from '../../common/ids';
import { InjectTenantModel, type TenantModel } from '../../infra/tenancy';
import { Invitation } from './invitation.schema';
import { InvitationLocator } from './invitation-locator.schema';

export type InvitationFilter = 'pending' | 'accepted' | 'revoked' | 'expired' | undefined;

/**
 * Invitations of the current tenant (the request's, or TenantRunner's for accept and the mail
 * confirmation): every query goes through the tenant handle, so an id from another tenant is not
 * found. The master locator is written here and read only by `locate` (accept).
 */
@Injectable()
export class InvitationsRepository {
  constructor(
    @InjectTenantModel(Invitation.name) private readonly model: TenantModel<Invitation>,
    @InjectModel(InvitationLocator.name) private readonly locators: Model<InvitationLocator>,
  ) {}

  async insert(
    data: Omit<Invitation, 'created_at' | 'updated_at' | 'ended_at'>,
    tenantId: string,
  ): Promise<Invitation> {
    // Locator first: an invitation without one could never be accepted; a locator without its
    // invitation (crash in between) leads nowhere (accept answers INVALID_TOKEN).
    await this.locators.create({ _id: String(data._id), tenant_id: toObjectId(tenantId), expires_at: data.expires_at });
    const doc = await this.model.create({ ...data, ended_at: null });
    return doc.toObject();
  }

  /** The tenant of an invitation id, for accept only. */
  async locate(invitationId: string): Promise<string | undefined> {
    const entry = await this.locators.findById(invitationId).lean<InvitationLocator>().exec();
    return entry ? String(entry.tenant_id) : undefined;
  }

  /** Tenant deletion: the tenant's locators (its invitations go with its database). */
  async removeTenantLocators(tenantId: string): Promise<number> {
    const res = await this.locators.deleteMany({ tenant_id: toObjectId(tenantId) }).exec();
    return res.deletedCount;
  }

  findById(id: string): Promise<Invitation | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<Invitation>().exec();
  }

  /** Ends every pending invitation of `email` (a re-invite replaces them); their links die. */
  async revokePendingFor(email: string, now: Date): Promise<void> {
    await this.model.updateMany({ email, status: 'pending' }, { $set: { status: 'revoked', ended_at: now } }).exec();
  }

  /** pending -> revoked or accepted; null when it was not pending any more. */
  end(id: string | Types.ObjectId, status: 'revoked' | 'accepted', now: Date): Promise<Invitation | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, status: 'pending' },
        { $set: { status, ended_at: now } },
        { returnDocument: 'after' },
      )
      .lean<Invitation>()
      .exec();
  }

  async page(
    filter: InvitationFilter,
    skip: number,
    limit: number,
    now: Date,
  ): Promise<{ items: Invitation[]; total: number }> {
    const query = this.filterOf(filter, now);
    const [items, total] = await Promise.all([
      this.model.find(query).sort({ created_at: 1, _id: 1 }).skip(skip).limit(limit).lean<Invitation[]>().exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  private filterOf(filter: InvitationFilter, now: Date): Record<string, unknown> {
    switch (filter) {
      case undefined:
        return {};
      case 'pending':
        return { status: 'pending', expires_at: { $gt: now } };
      case 'expired':
        return { status: 'pending', expires_at: { $lte: now } };
      case 'accepted':
      case 'revoked':
        return { status: filter };
    }
  }
}
