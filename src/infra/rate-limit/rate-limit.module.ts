import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RedisModule } from '../cache/redis.module';
import { LoginThrottle } from './login-throttle.service';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiterService } from './rate-limiter.service';
import { SignupThrottle } from './signup-throttle.service';

@Global()
@Module({
  imports: [RedisModule],
  providers: [RateLimiterService, LoginThrottle, SignupThrottle, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimiterService, LoginThrottle, SignupThrottle],
})
export class RateLimitModule {}
