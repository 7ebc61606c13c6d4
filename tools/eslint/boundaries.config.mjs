// @ts-check
/**
 * The architecture rules, as ESLint config blocks spread into eslint.config.mjs (and loaded alone
 * by layers.test.mjs, which proves each forbidden import fails).
 */
import { importsRule } from './layers-rule.mjs';

const FEATURE_FILES = ['src/modules/**/*.ts'];

export const boundaries = [
  {
    files: ['src/**/*.ts'],
    plugins: { layers: { rules: { imports: importsRule } } },
    rules: { 'layers/imports': 'error' },
  },
  {
    // Feature code never sees a connection, a master model or the shared cache's store.
    files: FEATURE_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'mongoose',
              importNames: ['default', 'Connection', 'createConnection', 'connection', 'connections', 'model'],
              message: 'Feature modules get tenant models from the kit (@InjectTenantModel), never a connection.',
            },
            {
              name: '@nestjs/mongoose',
              importNames: ['InjectConnection', 'InjectModel', 'MongooseModule', 'getConnectionToken', 'getModelToken'],
              message:
                "Master-database access is the identity core's. Use TenantMongooseModule.forFeature and @InjectTenantModel.",
            },
            { name: '@nestjs/cache-manager', message: 'Use TenantCache (infra/cache/tenant-cache.service).' },
            { name: 'cache-manager', message: 'Use TenantCache (infra/cache/tenant-cache.service).' },
            { name: 'keyv', message: 'Use TenantCache (infra/cache/tenant-cache.service).' },
            { name: '@keyv/redis', message: 'Use TenantCache (infra/cache/tenant-cache.service).' },
          ],
        },
      ],
    },
  },
];
