import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

export type MailHealth = 'up' | 'down' | 'disabled';

/**
 * What /health/ready reports about mail, kept by the sender as it works (readiness never waits on
 * SMTP nor counts the outbox itself): `down` after a failed try until the next success; the depth
 * as of the sender's last count. Mail never fails readiness: requests do not depend on it.
 */
@Injectable()
export class MailStatus {
  private lastFailureAt = 0;
  private lastSuccessAt = 0;
  private depthValue: { pending: number; sending: number; dead: number } = { pending: 0, sending: 0, dead: 0 };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get health(): MailHealth {
    if (this.config.mail.disabled) return 'disabled';
    return this.lastFailureAt > this.lastSuccessAt ? 'down' : 'up';
  }

  get depth(): { pending: number; sending: number; dead: number } {
    return this.depthValue;
  }

  recordSuccess(): void {
    this.lastSuccessAt = Date.now();
  }

  recordFailure(): void {
    this.lastFailureAt = Date.now();
  }

  recordDepth(depth: { pending: number; sending: number; dead: number }): void {
    this.depthValue = depth;
  }
}
