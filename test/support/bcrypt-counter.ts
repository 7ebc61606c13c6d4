import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PasswordService } from '../../src/identity/passwords/password.service';

/**
 * Counts the real bcrypt comparisons of an app (spies that call through: counting, not stubbing),
 * so a test can prove how many password guesses were actually evaluated.
 */
export function countBcrypt(app: NestFastifyApplication): { count(): number; reset(): void } {
  const passwords = app.get(PasswordService);
  const verify = jest.spyOn(passwords, 'verify');
  const dummy = jest.spyOn(passwords, 'verifyDummy');
  return {
    count: () => verify.mock.calls.length + dummy.mock.calls.length,
    reset: () => {
      verify.mockClear();
      dummy.mockClear();
    },
  };
}
