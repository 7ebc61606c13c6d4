import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RedisModule } from '../cache/redis.module';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiterService } from './rate-limiter.service';

@Global()
@Module({
  imports: [RedisModule],
  providers: [RateLimiterService, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimiterService],
})
export class RateLimitModule {}
