import { Injectable } from '@nestjs/common';
import type { Connection, Model, Schema } from 'mongoose';
import { RequestContext } from '../request-context/request-context';
import { TenantConnectionManager } from './tenant-connection.manager';

/**
 * Hands the current request the Mongoose connection of its tenant. Request-scoped in effect (it
 * answers for the request being served) but a singleton in Nest terms: the tenant is read from
 * the AsyncLocalStorage context the guards filled from the verified token, so injecting this
 * does not turn every dependent provider request-scoped.
 *
 * Tenant models (TenantMongooseModule handles) resolve through here on every call, so forgetting
 * the tenant cannot compile into a query on the wrong database.
 */
@Injectable()
export class TenantConnectionProvider {
  constructor(
    private readonly context: RequestContext,
    private readonly manager: TenantConnectionManager,
  ) {}

  get connection(): Connection {
    return this.manager.connection(this.context.requireTenantId());
  }

  model<T>(name: string, schema: Schema<T>): Model<T> {
    return this.manager.model(this.context.requireTenantId(), name, schema);
  }
}
