import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import type { AccountToken, AccountTokenKind } from './account-token.schema';
import { AccountTokensRepository } from './account-tokens.repository';

/** Whose token it is: the account and its tenant (none for a superadmin). */
export interface TokenSubject {
  accountId: Types.ObjectId;
  tenantId: Types.ObjectId | null;
}

/** A token that was found, of the right kind and unexpired, but not yet used up. */
export interface PendingToken extends TokenSubject {
  hash: string;
  kind: AccountTokenKind;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

function hashOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A base64url string of 32 bytes is 43 characters; anything else is not one of ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The tokens sent by mail (password reset, email verification): 256 bits from the CSPRNG, only
 * their SHA-256 stored, expiring, single use, and a newer one of the same kind for the same
 * account kills the older. Mailed tokens need no slow hash: they are random, not chosen by people.
 */
@Injectable()
export class AccountTokens {
  constructor(
    private readonly repo: AccountTokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new token for the account; its older ones of this kind stop working. The token itself goes into the mail only. */
  async issue(kind: AccountTokenKind, subject: TokenSubject): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const hash = hashOf(token);
    const expiresAt = new Date(Date.now() + this.lifetimeSeconds(kind) * 1000);
    await this.repo.insert({
      _id: hash,
      kind,
      account_id: subject.accountId,
      tenant_id: subject.tenantId,
      expires_at: expiresAt,
    });
    // After the insert, never before: of two racing issues, the later delete may kill both (the
    // account asks again), but two links never both work.
    await this.repo.removeOthers(subject.accountId, kind, hash);
    return { token, expiresAt };
  }

  /** The unexpired token of that kind, without using it up (so a refused new password keeps the link usable). */
  async find(kind: AccountTokenKind, token: string): Promise<PendingToken | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const hash = hashOf(token);
    const record: AccountToken | null = await this.repo.findByHash(hash);
    if (!record || record.kind !== kind) return null;
    if (record.expires_at.getTime() <= Date.now()) {
      await this.repo.consume(hash); // dead anyway: tidy up
      return null;
    }
    return { hash, kind, accountId: record.account_id, tenantId: record.tenant_id };
  }

  /** Uses the token up; false when another request used it first. */
  consume(pending: PendingToken): Promise<boolean> {
    return this.repo.consume(pending.hash);
  }

  private lifetimeSeconds(kind: AccountTokenKind): number {
    const lifecycle = this.config.accountLifecycle;
    switch (kind) {
      case 'password_reset':
        return lifecycle.resetTokenTtlSeconds;
      case 'email_verification':
        return lifecycle.verificationTokenTtlSeconds;
    }
  }
}
