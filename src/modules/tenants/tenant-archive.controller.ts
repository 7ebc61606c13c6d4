import { Readable } from 'node:stream';
import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AcceptsArchive, ARCHIVE_MEDIA_TYPE } from '../../common/decorators/accepts-archive.decorator';
import { Auth } from '../../common/decorators/auth.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { TenantExporter } from '../../identity/archive/tenant-exporter.service';
import { TenantImporter } from '../../identity/archive/tenant-importer.service';
import { ErasureReceiptResponse } from '../../identity/dto/erasure-receipt.response';
import { TenantResponse } from '../../identity/dto/tenant.response';
import { ErasureReceipts } from '../../identity/erasure/erasure-receipts.service';
import { ImportTenantQueryDto } from './dto/import-tenant.query';

/** Portable export/import of a tenant and its erasure receipt (superadmins; docs/operations.md). */
@ApiTags('tenants')
@Controller('api/v1/tenants')
export class TenantArchiveController {
  constructor(
    private readonly exporter: TenantExporter,
    private readonly importer: TenantImporter,
    private readonly receipts: ErasureReceipts,
  ) {}

  @Get(':tenant_id/export')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({
    summary: 'Export a tenant as a portable archive',
    description:
      'A gzip-compressed tar, streamed: `collections/<name>.ndjson` (canonical Extended JSON, one document a line, `_id` order) per collection of the tenant database, then `manifest.json` (format version, tenant record, per collection its count, SHA-256 and index definitions). Contains members with their password hashes: keep it as secret as a database backup. Each collection is read by one cursor (no snapshot across collections): suspend the tenant first for an exact copy. Sessions are not exported.',
  })
  // The archive's media type on the 200 only: error answers stay the JSON error body.
  @ApiOkResponse({
    description: 'The archive',
    content: { [ARCHIVE_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  async export(
    @Param('tenant_id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { filename, stream } = await this.exporter.open(id);
    void reply.header('cache-control', 'no-store');
    return new StreamableFile(stream, { type: ARCHIVE_MEDIA_TYPE, disposition: `attachment; filename="${filename}"` });
  }

  @Post('import')
  @Auth({ roles: ['superadmin'] })
  @AcceptsArchive(
    'A tenant archive as produced by GET /tenants/{tenant_id}/export (raw body, Content-Type: application/gzip)',
  )
  @ApiOperation({
    summary: 'Create a tenant from an exported archive',
    description:
      'Every count and SHA-256 is checked against the manifest before the tenant becomes visible; on any failure nothing is left (no tenant record, no database, no accounts). The tenant gets a new id; documents keep their `_id`. Members log in with their old passwords. Size bounded by TENANT_ARCHIVE_MAX_BYTES (compressed) and TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES (inflated), 413 beyond. With an `Idempotency-Key`, the streamed archive is not part of the request fingerprint (method, path and query are): reuse a key only to retry the same archive.',
  })
  @ApiCreatedResponse({ type: TenantResponse })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      "TENANT_EXISTS: the domain is taken, or the archive's members still have accounts here (its source tenant exists)",
  })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'PAYLOAD_TOO_LARGE' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorBodyDto, description: 'UNSUPPORTED_MEDIA_TYPE: send application/gzip' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'ARCHIVE_INVALID (not gzip/tar, manifest missing or contradicted: count, SHA-256, extra file) or VALIDATION_FAILED (query; unknown cluster)',
  })
  import(@Req() request: FastifyRequest, @Query() query: ImportTenantQueryDto): Promise<TenantResponse> {
    const body = request.body;
    if (!(body instanceof Readable))
      throw new AppError(
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `Send the archive as the raw body with Content-Type: ${ARCHIVE_MEDIA_TYPE}`,
      );
    const length = Number(request.headers['content-length']);
    return this.importer.import(body, {
      name: query.name,
      domain: query.domain,
      cluster: query.cluster,
      declaredBytes: Number.isFinite(length) ? length : undefined,
    });
  }

  @Get(':tenant_id/erasure-receipt')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({
    summary: "The signed receipt of a deleted tenant's erasure",
    description:
      'What was erased (database and cluster, accounts, sessions, other registered kinds, cache keys) and when, signed with HMAC-SHA256 (ERASURE_RECEIPT_KEY) over the canonical JSON of `receipt` (keys sorted at every depth, no whitespace). Kept after the tenant is gone.',
  })
  @ApiOkResponse({ type: ErasureReceiptResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'ERASURE_RECEIPT_NOT_FOUND (never deleted, or unknown)' })
  receipt(@Param('tenant_id') id: string): Promise<ErasureReceiptResponse> {
    return this.receipts.read(id);
  }
}
