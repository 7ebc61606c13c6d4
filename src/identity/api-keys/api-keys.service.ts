import { Injectable, Logger } from '@nestjs/common';
import type { TenantRole, UserPrincipal } from '../../common/auth/principal';
import { type Page, type PageQueryDto, pageWindow, toPage } from '../../common/dto/pagination.dto';
import { AppError } from '../../common/errors/app-error';
import { newId, toObjectId } from '../../common/ids';
import { RequestContext } from '../../infra/request-context/request-context';
import { AuditTrail } from '../audit/audit-trail.service';
import { ApiKeyAuthService } from './api-key-auth.service';
import { type ApiKeyResponse, type CreatedApiKeyResponse, toApiKeyResponse } from './api-key.response';
import { newApiKeySecret } from './api-key-secret';
import { ApiKeysError } from './api-keys.errors';
import { ApiKeysRepository } from './api-keys.repository';
import type { Types } from 'mongoose';

export interface NewApiKey {
  name: string;
  role: TenantRole;
  /** ISO 8601, validated by the DTO; must be in the future. */
  expires_at?: string;
}

/**
 * Tenant API keys of the request's tenant (the caller's own, from the request context: never a
 * parameter). Audit: `api_key.created` and `api_key.revoked` (actor: the tenant_admin; target: the
 * key id; never the secret, its hash or its prefix).
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly auth: ApiKeyAuthService,
    private readonly context: RequestContext,
    private readonly audit: AuditTrail,
  ) {}

  async create(creator: UserPrincipal, dto: NewApiKey): Promise<CreatedApiKeyResponse> {
    const tenantId = this.context.requireTenantId();
    const expiresAt = dto.expires_at === undefined ? null : new Date(dto.expires_at);
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw AppError.validation([{ field: 'expires_at', message: 'expires_at must be in the future' }]);
    const secret = newApiKeySecret();
    const record = await this.keys.insert({
      _id: secret.hash,
      key_id: newId(),
      tenant_id: toObjectId(tenantId),
      name: dto.name,
      role: dto.role,
      prefix: secret.prefix,
      created_by: toObjectId(creator.userId),
      created_at: new Date(),
      expires_at: expiresAt,
      last_used_at: null,
    });
    await this.audit.record({
      action: 'api_key.created',
      target: { type: 'api_key', id: String(record.key_id) },
      details: { name: record.name, role: record.role, expires_at: expiresAt?.toISOString() ?? null },
    });
    return { ...toApiKeyResponse(record), key: secret.key };
  }

  async list(query: PageQueryDto): Promise<Page<ApiKeyResponse>> {
    const { skip, limit } = pageWindow(query);
    const { items, total } = await this.keys.page(this.context.requireTenantId(), skip, limit);
    return toPage(items.map(toApiKeyResponse), total, query);
  }

  /** Refused at once on every instance: the record goes, then its cached state (twice, CacheEcho). */
  async revoke(keyId: string): Promise<void> {
    const hash = await this.keys.remove(this.context.requireTenantId(), keyId);
    if (!hash) throw AppError.notFound(ApiKeysError.API_KEY_NOT_FOUND, 'API key not found');
    await this.auth.forget(hash);
    await this.audit.record({ action: 'api_key.revoked', target: { type: 'api_key', id: keyId } });
  }

  /** A tenant's deletion: its keys go with it (their cached states too). */
  async removeTenant(tenantId: Types.ObjectId | string): Promise<number> {
    const hashes = await this.keys.removeTenant(tenantId);
    await Promise.all(hashes.map((hash) => this.auth.forget(hash)));
    if (hashes.length) this.logger.log(`removed ${hashes.length} API keys of tenant ${String(tenantId)}`);
    return hashes.length;
  }
}
