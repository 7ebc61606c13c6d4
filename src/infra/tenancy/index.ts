/**
 * The tenant data kit: all a feature module needs to keep data in tenant databases (see
 * docs/extending.md). Feature modules import this file only; lint refuses the files behind it.
 */
export { TenantMongooseModule } from './tenant-mongoose.module';
export { InjectTenantModel, type TenantModel, type TenantModelDefinition } from './tenant-model';
