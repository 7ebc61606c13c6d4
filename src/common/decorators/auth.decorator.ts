import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOAuth2, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '../auth/principal';
import { ErrorBodyDto } from '../dto/error-body.dto';

export const AUTH_ROLES = 'auth:roles';
export const AUTH_API_KEY = 'auth:apiKey';

export interface AuthOptions {
  /** Roles allowed; a route with `@Auth()` and no roles admits any authenticated caller. */
  roles?: Role[];
  /**
   * Tenant API keys (`X-API-Key`) admitted too, acting in their tenant with their role. Opt-in, so
   * that keys are refused by default (403 API_KEY_NOT_ALLOWED): a route for persons (profile,
   * sessions, password) or one that manages keys must never be reachable by a key because
   * someone forgot a flag; a tenant feature route forgetting it is merely unusable by programs,
   * which its tests show at once (the authz matrix derives key callers from this flag).
   */
  apiKey?: boolean;
}

/**
 * The one decorator for a protected route: the guard metadata and the OpenAPI security entries
 * together, so a route cannot be documented one way and guarded another. Method-level only:
 * the roles guard reads the handler, so a class-level role list cannot be silently ignored.
 */
export function Auth(options: AuthOptions = {}): MethodDecorator {
  const roles = options.roles ?? ['superadmin', 'tenant_admin', 'user'];
  const keys = options.apiKey === true;
  return applyDecorators(
    SetMetadata(AUTH_ROLES, roles),
    SetMetadata(AUTH_API_KEY, keys),
    // Security requirements are alternatives: a pasted bearer token, an OAuth2 password login, and
    // where admitted an API key.
    ApiBearerAuth('bearer'),
    ApiOAuth2([], 'oauth2'),
    ...(keys ? [ApiSecurity('apiKey')] : []),
    ApiUnauthorizedResponse({
      type: ErrorBodyDto,
      description: keys
        ? 'Missing, invalid, expired or revoked token; API_KEY_INVALID: unknown, revoked or expired API key'
        : 'Missing, invalid, expired or revoked token',
    }),
    // The roles first and alone up to the period: the generated test suites read them from here.
    ApiForbiddenResponse({
      type: ErrorBodyDto,
      description: `Allowed roles: ${roles.join(', ')}. ${keys ? 'API keys of these roles admitted' : 'API_KEY_NOT_ALLOWED for an API key'}`,
    }),
  );
}
