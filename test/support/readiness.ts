/** /health/ready's outbox depth in an app that has queued no mail. */
export const IDLE_OUTBOX = { pending: 0, sending: 0, dead: 0 };
