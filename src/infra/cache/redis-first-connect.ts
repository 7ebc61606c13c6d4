import type { RedisClient } from './redis-client';

/** Slack past the socket's connect timeout for the handshake after TCP (HELLO, SELECT). */
const HANDSHAKE_SLACK_MS = 1000;

/**
 * Starts connecting and waits for the outcome of the first attempt only, like MongoDB's first
 * connection: a reachable Redis is `ready` (readiness says `up`) when boot completes, instead of
 * a few milliseconds later in the background (a readiness probe right after boot saw `down`).
 * A refused connection fails the attempt at once and a black hole after the socket's connect
 * timeout; a Redis that accepts TCP but never answers (frozen) is cut off by the timer. In every
 * case boot goes on without Redis and the client keeps reconnecting in the background.
 *
 * Resolves true when the client is ready, false otherwise; never rejects.
 */
export function connectFirstAttempt(client: RedisClient, connectTimeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      resolve(client.isReady);
    };
    // `done` runs only from these callbacks, all after this line: `timer` is set by then.
    const timer = setTimeout(done, connectTimeoutMs + HANDSHAKE_SLACK_MS);
    client.once('ready', done);
    client.once('error', done);
    // Rejects only if reconnection is given up, which our strategy never does: the outcome of the
    // first attempt is read from the events above.
    client.connect().catch(() => undefined);
  });
}
