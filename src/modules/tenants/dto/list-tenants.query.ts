import { OptionalField } from '../../../common/validation/optional-field';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageQueryDto } from '../../../common/dto/pagination.dto';

export class ListTenantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @OptionalField()
  @IsIn(['active', 'suspended'])
  status?: 'active' | 'suspended';
}
