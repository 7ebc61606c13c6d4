import { Module } from '@nestjs/common';
import { TenantMongooseModule } from '../../infra/tenancy';
import { Project, ProjectSchema } from './project.schema';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

/** The example tenant-scoped module (docs/extending.md walks through it). */
@Module({
  // The `projects` collection of every tenant database: indexes built at provisioning and by
  // `cli sync-indexes`; the repository receives the model with @InjectTenantModel(Project.name).
  imports: [TenantMongooseModule.forFeature([{ name: Project.name, schema: ProjectSchema }])],
  controllers: [ProjectsController],
  providers: [ProjectsRepository, ProjectsService],
})
export class ProjectsModule {}
