import { Module, type OnModuleInit } from '@nestjs/common';
import { TenantSchemaRegistry } from '../../infra/tenancy/tenant-schema.registry';
import { ProjectSchema } from './project.schema';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

@Module({
  controllers: [ProjectsController],
  providers: [ProjectsRepository, ProjectsService],
  exports: [ProjectsRepository],
})
export class ProjectsModule implements OnModuleInit {
  constructor(private readonly schemas: TenantSchemaRegistry) {}

  /** New tenants get this collection's indexes at provisioning; `cli sync-indexes` for existing ones. */
  onModuleInit(): void {
    this.schemas.register('Project', ProjectSchema);
  }
}
