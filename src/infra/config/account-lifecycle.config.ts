import type { EnvReader } from './env-reader';

/** Password reset, email verification and the verified-email rule (API.md, "Account lifecycle"). */
export interface AccountLifecycleConfig {
  /** PASSWORD_RESET_TOKEN_TTL_SECONDS: how long a reset link works. */
  resetTokenTtlSeconds: number;
  /** EMAIL_VERIFICATION_TOKEN_TTL_SECONDS: how long a verification link works. */
  verificationTokenTtlSeconds: number;
  /**
   * REQUIRE_VERIFIED_EMAIL: the default of the tenant setting `require_verified_email` (a tenant's
   * own setting wins). When on, an unverified member's login answers 403 EMAIL_NOT_VERIFIED.
   */
  requireVerifiedEmail: boolean;
}

export function parseAccountLifecycle(r: EnvReader): AccountLifecycleConfig {
  return {
    // Short lifetimes are allowed (down to 1 s) so that tests can watch a link expire.
    resetTokenTtlSeconds: r.int('PASSWORD_RESET_TOKEN_TTL_SECONDS', 30 * 60, 1, 86400),
    verificationTokenTtlSeconds: r.int('EMAIL_VERIFICATION_TOKEN_TTL_SECONDS', 48 * 3600, 1, 30 * 86400),
    requireVerifiedEmail: r.bool('REQUIRE_VERIFIED_EMAIL', false),
  };
}
