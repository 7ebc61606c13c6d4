import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/decorators/auth.decorator';
import { ClusterResponse, toClusterResponse } from '../../identity/dto/cluster.response';
import { TenantPlacement } from '../../identity/tenants/tenant-placement.service';

@ApiTags('tenants')
@Controller('api/v1/clusters')
export class ClustersController {
  constructor(private readonly placement: TenantPlacement) {}

  @Get()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'The MongoDB clusters, their tenant counts and whether each answers a ping' })
  @ApiOkResponse({ type: [ClusterResponse] })
  async list(): Promise<ClusterResponse[]> {
    return (await this.placement.summary()).map(toClusterResponse);
  }
}
