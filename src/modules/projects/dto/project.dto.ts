import { NullableField, OptionalField } from '../../../common/validation/optional-field';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { PageDto } from '../../../common/dto/pagination.dto';
import { Trim } from '../../../common/validation/transforms';
import type { Project } from '../project.schema';

export class CreateProjectDto {
  @ApiProperty({ example: 'Website relaunch', minLength: 1, maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'Q3 marketing site', maxLength: 2000 })
  @OptionalField()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class UpdateProjectDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(1, 200)
  name?: string;

  /** null clears it. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: 'null clears it' })
  @NullableField()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class ProjectResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ description: 'Id of the creator: a user, or the API key that created it' })
  created_by!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at!: string;
}

export class ProjectPageResponse extends PageDto {
  @ApiProperty({ type: [ProjectResponse] })
  items!: ProjectResponse[];
}

export function toProjectResponse(p: Project): ProjectResponse {
  return {
    id: String(p._id),
    name: p.name,
    description: p.description ?? null,
    created_by: String(p.created_by),
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  };
}
