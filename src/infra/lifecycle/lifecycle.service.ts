import { Injectable } from '@nestjs/common';

/** Process-wide lifecycle flags: readiness turns 503 the moment shutdown begins. */
@Injectable()
export class LifecycleService {
  private draining = false;

  beginShutdown(): void {
    this.draining = true;
  }

  get isShuttingDown(): boolean {
    return this.draining;
  }
}
