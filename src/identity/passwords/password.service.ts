import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { BcryptWorkers } from './bcrypt-workers';

export const PASSWORD_MAX_LENGTH = 128;

/**
 * bcrypt with a SHA-256 pre-hash: bcrypt ignores every byte past 72, so two long passwords
 * sharing a prefix would collide. base64 of the digest is 44 ASCII bytes, no NUL.
 */
function prehash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}

/**
 * NIST 800-63B: length bounds and a blocklist of common passwords; no composition rules. bcrypt
 * runs on hashing threads of lower priority (BcryptWorkers), at most BCRYPT_CONCURRENCY at once.
 */
@Injectable()
export class PasswordService implements OnModuleDestroy {
  private readonly blocklist: Set<string>;
  /** Compared against when the email is unknown, so both paths cost one bcrypt comparison. */
  private readonly dummyHash: Promise<string>;
  /** Every bcrypt call goes through them (BCRYPT_CONCURRENCY threads): a login storm queues there. */
  private readonly workers: BcryptWorkers;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.blocklist = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
    this.workers = new BcryptWorkers(config.security.bcryptConcurrency ?? 1);
    this.dummyHash = this.workers.hash(prehash('not-a-real-password'), config.security.bcryptCost);
    this.dummyHash.catch(() => undefined); // awaited (and its failure reported) by verifyDummy
  }

  async onModuleDestroy(): Promise<void> {
    await this.workers.close();
  }

  /** Problems with a new password, as messages for the `errors` list (empty when acceptable). */
  policyProblems(password: string, context: string[] = []): string[] {
    const problems: string[] = [];
    const length = [...password].length;
    if (length < this.config.security.passwordMinLength) {
      problems.push(`must be at least ${this.config.security.passwordMinLength} characters`);
    }
    if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
    const lower = password.toLowerCase();
    if (this.blocklist.has(lower)) problems.push('is too common; choose a less guessable password');
    else if (context.some((c) => c.length >= 3 && lower === c.toLowerCase())) {
      problems.push('must not be the same as your email or name');
    }
    return problems;
  }

  /** Throws 422 WEAK_PASSWORD naming `field` when the policy refuses the password. */
  assertAcceptable(password: string, field: string, context: string[] = []): void {
    const problems = this.policyProblems(password, context);
    if (problems.length === 0) return;
    throw new AppError(422, ErrorCode.WEAK_PASSWORD, 'Password does not meet the policy', {
      errors: problems.map((message) => ({ field, message: `${field} ${message}` })),
    });
  }

  hash(password: string): Promise<string> {
    return this.workers.hash(prehash(password), this.config.security.bcryptCost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.workers.compare(prehash(password), hash);
  }

  /** Burns one comparison's worth of time (unknown email), returning false. */
  async verifyDummy(password: string): Promise<false> {
    const dummy = await this.dummyHash;
    await this.workers.compare(prehash(password), dummy);
    return false;
  }
}
