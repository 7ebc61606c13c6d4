import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import type { RateLimitName } from './rate-limit.types';

export const RATE_LIMIT = 'rateLimit:name';

/**
 * Limits a route per client address (X-Forwarded-For honoured only behind TRUST_PROXY), and
 * documents the 429 it may answer.
 */
export const RateLimitPerIp = (name: RateLimitName) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT, name),
    ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'RATE_LIMITED, with Retry-After (seconds)' }),
  );
