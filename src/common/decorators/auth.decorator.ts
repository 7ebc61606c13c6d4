import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '../auth/principal';
import { ErrorBodyDto } from '../dto/error-body.dto';

export const AUTH_ROLES = 'auth:roles';

export interface AuthOptions {
  /** Roles allowed; a route with `@Auth()` and no roles admits any authenticated caller. */
  roles?: Role[];
}

/**
 * The one decorator for a protected route: the guard metadata and the OpenAPI security entries
 * together, so a route cannot be documented one way and guarded another. Method-level only:
 * the roles guard reads the handler, so a class-level role list cannot be silently ignored.
 */
export function Auth(options: AuthOptions = {}): MethodDecorator {
  const roles = options.roles ?? ['superadmin', 'tenant_admin', 'user'];
  return applyDecorators(
    SetMetadata(AUTH_ROLES, roles),
    // Two security requirements = alternatives: a pasted bearer token, or an OAuth2 password login.
    ApiBearerAuth('bearer'),
    ApiOAuth2([], 'oauth2'),
    ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'Missing, invalid, expired or revoked token' }),
    ApiForbiddenResponse({ type: ErrorBodyDto, description: `Allowed roles: ${roles.join(', ')}` }),
  );
}
