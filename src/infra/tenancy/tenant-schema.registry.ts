import { Injectable } from '@nestjs/common';
import type { Schema } from 'mongoose';

/**
 * Every model that lives in a tenant database, registered by its module. Provisioning builds
 * their indexes in a new tenant's database, and `npm run cli -- sync-indexes` re-syncs them in
 * all tenants; a module added by a team gets both by registering here (docs/extending.md).
 */
@Injectable()
export class TenantSchemaRegistry {
  private readonly schemas = new Map<string, Schema>();

  register(name: string, schema: Schema): void {
    const existing = this.schemas.get(name);
    if (existing && existing !== schema)
      throw new Error(`tenant model ${name} registered twice with different schemas`);
    this.schemas.set(name, schema);
  }

  all(): Array<[string, Schema]> {
    return [...this.schemas.entries()];
  }
}
