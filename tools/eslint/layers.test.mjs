// Proves the architecture rules: each forbidden import fails lint, each allowed one passes.
// Run by `npm run test:lint-rules` (part of `npm test`), with the same rules as eslint.config.mjs.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundaries } from './boundaries.config.mjs';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

/** The messages lint gives `code` placed at `file` (a scratch path; nothing is written). */
async function lint(file, code) {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const FEATURE = 'src/modules/projects/scratch.ts';
const refused = [
  [
    'a feature importing the tenancy internals',
    FEATURE,
    "import { TenantConnectionManager } from '../../infra/tenancy/tenant-connection.manager';",
  ],
  [
    'a feature importing the tenant connection provider',
    'src/modules/projects/dto/scratch.ts',
    "import { TenantConnectionProvider } from '../../../infra/tenancy/tenant-connection.provider';",
  ],
  ['a feature importing a mongoose Connection', FEATURE, "import type { Connection } from 'mongoose';"],
  ['a feature importing mongoose itself', FEATURE, "import mongoose from 'mongoose';"],
  ['a feature injecting a master model', FEATURE, "import { InjectModel } from '@nestjs/mongoose';"],
  [
    'a feature importing the platform cache',
    FEATURE,
    "import { PlatformCache } from '../../infra/cache/platform-cache.service';",
  ],
  ['a feature importing the cache store', FEATURE, "import { CACHE_MANAGER } from '@nestjs/cache-manager';"],
  [
    'a feature importing the request context',
    FEATURE,
    "import { RequestContext } from '../../infra/request-context/request-context';",
  ],
  [
    'a feature importing the master connection',
    FEATURE,
    "import { MasterConnection } from '../../infra/database/master-connection.service';",
  ],
  ['a feature importing another module', FEATURE, "import { UsersModule } from '../users/users.module';"],
  [
    "a feature importing the identity core's internals",
    FEATURE,
    "import { MembersRepository } from '../../identity/members/members.repository';",
  ],
  [
    'a module of the identity front importing a feature',
    'src/modules/users/scratch.ts',
    "import { ProjectsService } from '../projects/projects.service';",
  ],
  ['common importing infra', 'src/common/scratch.ts', "import { APP_CONFIG } from '../infra/config/app-config';"],
  ['common importing the identity core', 'src/common/dto/scratch.ts', "import { TenantRunner } from '../../identity';"],
  [
    'infra importing the identity core',
    'src/infra/cache/scratch.ts',
    "import { TenantStatusService } from '../../identity/tenants/tenant-status.service';",
  ],
  [
    'infra importing a module',
    'src/infra/http/scratch.ts',
    "import { AuthModule } from '../../modules/auth/auth.module';",
  ],
  [
    'the identity core importing a module',
    'src/identity/scratch.ts',
    "import { AuthService } from '../modules/auth/auth.service';",
  ],
  [
    'the identity core importing the app',
    'src/identity/tenants/scratch.ts',
    "import { AppModule } from '../../app.module';",
  ],
  ['production code importing test code', FEATURE, "import { Factory } from '../../../test/support/factories';"],
];

for (const [what, file, code] of refused) {
  test(`refused: ${what}`, async () => {
    const messages = await lint(file, code);
    assert.equal(messages.length, 1, `expected one lint error for ${file}: ${code}\ngot ${JSON.stringify(messages)}`);
    console.log(`  ${file}: ${code}\n    -> ${messages[0]}`);
  });
}

const allowed = [
  [
    'a feature using the tenant data kit',
    FEATURE,
    "import { InjectTenantModel, TenantMongooseModule } from '../../infra/tenancy';",
  ],
  ['a feature using TenantCache', FEATURE, "import { TenantCache } from '../../infra/cache/tenant-cache.service';"],
  [
    'a feature using schema decorators',
    FEATURE,
    "import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';\nimport { SchemaTypes, type Types } from 'mongoose';",
  ],
  [
    "a feature using the identity core's public API",
    FEATURE,
    "import { MemberDirectory, TenantRunner } from '../../identity';",
  ],
  [
    'a feature using common',
    'src/modules/projects/dto/scratch.ts',
    "import { AppError } from '../../../common/errors/app-error';",
  ],
  [
    'the identity front using the identity core',
    'src/modules/users/scratch.ts',
    "import { MembersService } from '../../identity/members/members.service';",
  ],
  [
    'the identity core using infra',
    'src/identity/scratch.ts',
    "import { PlatformCache } from '../infra/cache/platform-cache.service';",
  ],
  [
    'a test fixture using test support',
    'src/modules/projects/projects.e2e-fixtures.ts',
    "import { Factory } from '../../../test/support/factories';",
  ],
];

for (const [what, file, code] of allowed) {
  test(`allowed: ${what}`, async () => {
    assert.deepEqual(await lint(file, code), []);
  });
}
