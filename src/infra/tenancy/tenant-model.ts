import { Inject } from '@nestjs/common';
import type { Model, Schema } from 'mongoose';

/**
 * A model whose every call runs on the current tenant's database (see tenantModelHandle). Typed as
 * a plain Mongoose model so feature code reads like any @nestjs/mongoose code.
 */
export type TenantModel<T> = Model<T>;

/** One tenant collection, as a module registers it (the shape of MongooseModule.forFeature's). */
export interface TenantModelDefinition {
  /** The model name: use the schema class's `.name`, as with @nestjs/mongoose. */
  name: string;
  schema: Schema;
}

export function getTenantModelToken(name: string): string {
  return `TenantModel:${name}`;
}

/** `@InjectTenantModel(Task.name) private readonly tasks: TenantModel<Task>`, like `@InjectModel`. */
export const InjectTenantModel = (name: string): ParameterDecorator => Inject(getTenantModelToken(name));
