import { Global, Module } from '@nestjs/common';
import { RedisModule } from '../cache/redis.module';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiterService } from './rate-limiter.service';

/** The limiter; its guard is installed globally with the rest of the HTTP pipeline (AppModule). */
@Global()
@Module({
  imports: [RedisModule],
  providers: [RateLimiterService, RateLimitGuard],
  exports: [RateLimiterService, RateLimitGuard],
})
export class RateLimitModule {}
