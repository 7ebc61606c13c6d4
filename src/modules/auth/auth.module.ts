import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';
import { AccountLifecycleController } from './account-lifecycle.controller';
import { AccountLifecycleService } from './account-lifecycle.service';
import { AfterResponse } from './after-response.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { LoginService } from './login.service';
import { SessionsController } from './sessions.controller';

/**
 * Sign-up, login, tokens, the caller's own account, and the tenant's API keys. The global guards that use the JWT
 * strategy (exported) are assembled with the rest of the HTTP pipeline in AppModule.
 */
@Module({
  controllers: [AuthController, ApiKeysController, SessionsController, AccountLifecycleController],
  providers: [AuthService, LoginService, JwtStrategy, AccountLifecycleService, AfterResponse],
  // For the global JwtAuthGuard (AppModule).
  exports: [JwtStrategy],
})
export class AuthModule {}
