import { Global, Module } from '@nestjs/common';
import { RedisModule } from '../cache/redis.module';
import { LoginThrottle } from './login-throttle.service';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiterService } from './rate-limiter.service';
import { SignupThrottle } from './signup-throttle.service';

/** The limiter; its guard is installed globally with the rest of the HTTP pipeline (AppModule). */
@Global()
@Module({
  imports: [RedisModule],
  providers: [RateLimiterService, LoginThrottle, SignupThrottle, RateLimitGuard],
  exports: [RateLimiterService, LoginThrottle, SignupThrottle, RateLimitGuard],
})
export class RateLimitModule {}
