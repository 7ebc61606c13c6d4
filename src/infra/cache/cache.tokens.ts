/** The raw Redis client (or null without REDIS_URL), for health reporting and shutdown. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
