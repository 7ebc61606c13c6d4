import type { ConnectOptions } from 'mongoose';
import type { AppConfig } from '../config/app-config';

/**
 * Options of the master connection (its pool also carries every tenant database through `useDb`).
 * `bufferCommands: false` plus a short server selection make queries fail fast (mapped to 503)
 * instead of hanging while MongoDB is away; indexes are built on purpose, never lazily.
 *
 * The operation deadline (MONGO_OPERATION_TIMEOUT_MS) against a server that stops answering on
 * open connections (a stalled primary, SIGSTOP, a partition without resets), where server
 * selection does not help: every phase of an operation that can wait on the server gets it.
 * - `socketTimeoutMS`: a round trip with no answer (the driver arms it only while a command is
 *   on the wire, so idle pooled connections are not affected); the connection is then closed.
 * - `connectTimeoutMS` (driver default 30 s): opening a new connection, handshake included (the
 *   kernel still accepts TCP connections for a stopped process, so only the handshake waits).
 * - `waitQueueTimeoutMS`: waiting for a pooled connection when all are busy on a stalled server.
 * Each gets half the deadline: the driver retries a read (on a replica set, a write too) once
 * after a network error, e.g. to reach a new primary after an election, and the retry can wait
 * as long again (measured on FerretDB: a frozen read failed after 2 x the socket timeout). A
 * failing phase ends its attempt, so the phases of one attempt do not add up in practice.
 *
 * Why not the driver's client-side operation timeout (`timeoutMS`, CSOT), one budget for all
 * phases: the driver installed (mongodb 7.8) deprecated it as a no-op ("timeoutMS has no effect",
 * it is never forwarded to operations), checked against FerretDB by a probe. Why not `maxTimeMS`
 * alone: the server enforces it, and a frozen server enforces nothing. (It would additionally stop
 * an abandoned slow query on a live server; Mongoose has no global setting for it and FerretDB
 * 1.24 honours it only on some commands, so it is not applied.)
 */
export function mongoConnectOptions(config: AppConfig): ConnectOptions {
  const perAttempt = Math.ceil(config.mongoOperationTimeoutMs / 2);
  return {
    dbName: config.masterDbName,
    serverSelectionTimeoutMS: config.mongoServerSelectionTimeoutMs,
    socketTimeoutMS: perAttempt,
    connectTimeoutMS: perAttempt,
    waitQueueTimeoutMS: perAttempt,
    maxPoolSize: config.mongoMaxPoolSize,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
  };
}
