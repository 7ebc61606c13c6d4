import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/decorators/public.decorator';
import { SkipRequestContext } from '../../infra/request-context/skip-request-context.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { LivenessDto, ReadinessDto } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @SkipRequestContext()
  @Get()
  @ApiOperation({ summary: 'Liveness: the process is up (checks nothing else)' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: MongoDB reachable; Redis reported but optional' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'MongoDB unreachable or shutting down' })
  ready(): Promise<ReadinessDto> {
    return this.health.readiness();
  }
}
