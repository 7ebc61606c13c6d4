import { Injectable } from '@nestjs/common';
import type { TenantRole } from '../../common/auth/principal';
import { toUserResponse } from '../dto/user.response';
import { MembersRepository } from './members.repository';

/** What a feature module may know of a member of the current tenant. */
export interface MemberRef {
  id: string;
  email: string;
  full_name: string | null;
  role: TenantRole;
  is_active: boolean;
}

/**
 * Members of the current tenant, read-only, for feature modules that reference people (a task's
 * assignee, a comment's author). Only the current tenant: an id from another tenant is not found.
 */
@Injectable()
export class MemberDirectory {
  constructor(private readonly members: MembersRepository) {}

  async find(userId: string): Promise<MemberRef | null> {
    const user = await this.members.current.findById(userId);
    if (!user) return null;
    const { id, email, full_name, role, is_active } = toUserResponse(user);
    return { id, email, full_name, role, is_active };
  }
}
