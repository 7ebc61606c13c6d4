import { ApiProperty } from '@nestjs/swagger';
import type { Session } from '../sessions/session.schema';

/** One live session (refresh-token family) of the caller, as GET /auth/sessions lists it. */
export class SessionResponse {
  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7a8', description: 'The session id (the `sid` of its access tokens)' })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the session began (its login)' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Its last login or refresh' })
  last_used_at!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  user_agent!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ description: 'True for the session of the access token making this request' })
  current!: boolean;
}

/** Explicit mapping from the family's newest token: no hash or family internals leak. */
export function toSessionResponse(newest: Session, currentSid: string): SessionResponse {
  const id = String(newest.family_id);
  return {
    id,
    created_at: (newest.started_at ?? newest.created_at).toISOString(),
    last_used_at: newest.created_at.toISOString(),
    user_agent: newest.user_agent ?? null,
    ip: newest.ip ?? null,
    current: id === currentSid,
  };
}
