import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { LifecycleError } from '../lifecycle.errors';
import { type SessionResponse, toSessionResponse } from '../dto/session.response';
import { SessionService } from './session.service';
import { SessionsRepository } from './sessions.repository';

const sessionNotFound = () => AppError.notFound(LifecycleError.SESSION_NOT_FOUND, 'Session not found');

/** The caller's own live sessions: GET and DELETE /auth/sessions (members and superadmins alike). */
@Injectable()
export class OwnSessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly session: SessionService,
  ) {}

  /** Newest first; one entry per family (its newest live token), the caller's own marked `current`. */
  async list(principal: UserPrincipal): Promise<SessionResponse[]> {
    const live = await this.sessions.listLive(principal.userId, principal.tenantId);
    const seen = new Set<string>();
    const out: SessionResponse[] = [];
    for (const token of live) {
      const family = String(token.family_id);
      if (seen.has(family)) continue; // a refresh midway: its parent is not marked rotated yet
      seen.add(family);
      out.push(toSessionResponse(token, principal.sessionId));
    }
    return out;
  }

  /**
   * Another account's session (of this tenant or another), an ended one, or a malformed id: 404,
   * the same answer, so a session id tells nothing about who holds it.
   */
  async end(principal: UserPrincipal, sessionId: string): Promise<void> {
    if (!(await this.session.endOwn(principal, sessionId))) throw sessionNotFound();
  }
}
