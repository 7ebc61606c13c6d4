import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/decorators/public.decorator';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { metricsTokenMatches } from '../../infra/metrics/metrics-token';
import { MetricsService } from '../../infra/metrics/metrics.service';
import { SkipRequestContext } from '../../infra/request-context/skip-request-context.decorator';

/**
 * Prometheus scrape endpoint. Public to the global (JWT, default-deny) guards: it has its own
 * bearer token, METRICS_TOKEN. Left out of the OpenAPI document: an operator's route, not the API.
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Public()
  @SkipRequestContext()
  @ApiExcludeEndpoint()
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const access = this.metrics.access;
    if (access.kind === 'disabled') throw new AppError(404, ErrorCode.NOT_FOUND, 'Not found');
    if (access.kind === 'token' && !metricsTokenMatches(authorization, access.token)) {
      throw new AppError(401, ErrorCode.UNAUTHENTICATED, 'A valid metrics bearer token is required', {
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    const body = await this.metrics.scrape();
    await reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store').send(body);
  }
}
