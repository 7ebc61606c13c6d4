import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { InjectTenantModel, type TenantModel } from '../../infra/tenancy';
import { TenantConnectionManager } from '../../infra/tenancy/tenant-connection.manager';
import { RequestContext } from '../../infra/request-context/request-context';
import { AuditChain } from './audit-chain';
import { AuditEvent, AuditEventSchema, AuditMark, AuditMarkSchema } from './audit-event.schema';

/** Model names of the platform stream on the master connection (the tenant ones are the class names). */
export const PLATFORM_AUDIT_EVENT = 'PlatformAuditEvent';
export const PLATFORM_AUDIT_MARK = 'PlatformAuditMark';

/**
 * The audit streams: one per tenant, in its database, and the platform's, in the master database.
 * `current()` is the request's: its tenant's through the kit's handles (resolved from the verified
 * context, never a parameter), or the platform's when the request has no tenant (a superadmin on
 * a platform route). `tenant(id)` is for the identity flows that run before a tenant context exists
 * (login) and for the CLI; feature modules cannot reach it (identity internals).
 */
@Injectable()
export class AuditStreams {
  private readonly currentTenant: AuditChain;
  private readonly platformChain: AuditChain;

  constructor(
    @InjectTenantModel(AuditEvent.name) events: TenantModel<AuditEvent>,
    @InjectTenantModel(AuditMark.name) marks: TenantModel<AuditMark>,
    @InjectModel(PLATFORM_AUDIT_EVENT) platformEvents: Model<AuditEvent>,
    @InjectModel(PLATFORM_AUDIT_MARK) platformMarks: Model<AuditMark>,
    private readonly manager: TenantConnectionManager,
    private readonly context: RequestContext,
  ) {
    this.currentTenant = new AuditChain(events, marks);
    this.platformChain = new AuditChain(platformEvents, platformMarks);
  }

  /** The request's stream: its tenant's, or the platform's when it has no tenant. */
  current(): AuditChain {
    return this.context.current?.tenantId ? this.currentTenant : this.platformChain;
  }

  platform(): AuditChain {
    return this.platformChain;
  }

  /** A tenant's chain from anywhere (a login, a background retry): its cluster route loaded first. */
  async routedTenant(tenantId: string): Promise<AuditChain> {
    await this.manager.connectionFor(tenantId);
    return this.tenant(tenantId);
  }

  /** A tenant's chain, in a context where its route is loaded (a tenant request or TenantRunner). */
  tenant(tenantId: string): AuditChain {
    return new AuditChain(
      this.manager.model(tenantId, AuditEvent.name, AuditEventSchema),
      this.manager.model(tenantId, AuditMark.name, AuditMarkSchema),
    );
  }
}
