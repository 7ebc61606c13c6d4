import { SetMetadata } from '@nestjs/common';

export const SKIP_REQUEST_CONTEXT = 'requestContext:skip';

/**
 * For handlers that never touch a tenant database (liveness, welcome): skips entering the
 * AsyncLocalStorage context. A tenant repository used under it fails loudly (no tenant), never
 * silently on the wrong tenant.
 */
export const SkipRequestContext = () => SetMetadata(SKIP_REQUEST_CONTEXT, true);
