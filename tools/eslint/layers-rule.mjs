// @ts-check
/**
 * `layers/imports`: the folders of src/ are layers, and an import may only point down or sideways
 * where allowed. It resolves each relative import to the file it names, so the rule holds whatever
 * the depth of the importing file (plain `no-restricted-imports` only sees the import string).
 *
 *   common    -> common                                   (pure: no infrastructure)
 *   infra     -> common, infra
 *   identity  -> common, infra, identity                  (the identity core)
 *   module X  -> common, X itself, the kit's public files, identity's public API;
 *                auth/users/tenants (the identity core's HTTP face) -> all of identity;
 *                health/root (operations) -> all of infra
 *   src/*.ts, src/cli -> anything (composition roots)
 *
 * Test-only files in a module's folder (`*.e2e-fixtures.ts`, `*.e2e-spec.ts`) may also import test/.
 */
import { statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/** What every module may import from infra: the tenant data kit and a few leaf helpers (a trailing / means the folder). */
const MODULE_INFRA_ALLOWED = [
  'infra/tenancy/index.ts',
  'infra/cache/tenant-cache.service.ts',
  'infra/config/app-config.ts',
  'infra/rate-limit/', // limits are a service any module may apply
  'infra/mail/index.ts', // queueing a mail (MailOutbox) is a service any module may use
  'infra/request-context/skip-request-context.decorator.ts',
];
/** What a feature module may import from the identity core. */
const IDENTITY_PUBLIC = ['identity/index.ts'];
const IDENTITY_FRONT = new Set(['auth', 'users', 'tenants']);
const OPERATIONS = new Set(['health', 'root']);

/** @param {string} rel path relative to src/, with forward slashes */
function layerOf(rel) {
  const [top, second] = rel.split('/');
  if (top === 'modules') return { layer: 'module', name: second };
  if (['common', 'infra', 'identity'].includes(top)) return { layer: top, name: top };
  return { layer: 'root', name: 'root' };
}

/**
 * @param {string} fromRel importing file, relative to src/
 * @param {string} toRel imported file, relative to src/ ('' + outside when outside src)
 * @returns {string | null} why the import is refused, or null
 */
export function refusal(fromRel, toRel) {
  const from = layerOf(fromRel);
  if (toRel.startsWith('../')) {
    if (toRel.startsWith('../test/') && /\.e2e-(fixtures|spec)\.ts$/.test(fromRel)) return null;
    return from.layer === 'root' ? null : `src/${fromRel} may not import outside src/ (${toRel.slice(3)})`;
  }
  const to = layerOf(toRel);
  const target = toRel.replace(/\.(ts|js)$/, '') + '.ts';
  const is = (/** @type {string[]} */ list) =>
    list.some((allowed) => (allowed.endsWith('/') ? target.startsWith(allowed) : target === allowed));
  switch (from.layer) {
    case 'root':
      return null;
    case 'common':
      return to.layer === 'common' ? null : `common is the bottom layer: it may not import ${to.layer} (${toRel})`;
    case 'infra':
      return to.layer === 'common' || to.layer === 'infra'
        ? null
        : `infra may import only common and infra, not ${to.layer} (${toRel})`;
    case 'identity':
      return to.layer === 'module' || to.layer === 'root'
        ? `the identity core may not import ${to.layer === 'module' ? `the ${to.name} module` : toRel}: modules depend on it, not the reverse`
        : null;
    case 'module': {
      if (to.layer === 'common') return null;
      if (to.layer === 'module')
        return to.name === from.name ? null : `module ${from.name} may not import module ${to.name} (${toRel})`;
      if (to.layer === 'identity') {
        if (IDENTITY_FRONT.has(from.name) || is(IDENTITY_PUBLIC)) return null;
        return `module ${from.name} may import only identity/index.ts from the identity core, not ${toRel}`;
      }
      if (to.layer === 'infra') {
        if (OPERATIONS.has(from.name) || is(MODULE_INFRA_ALLOWED)) return null;
        return `module ${from.name} may not import ${toRel}: use the tenant data kit (infra/tenancy) and TenantCache`;
      }
      return `module ${from.name} may not import ${toRel}`;
    }
    default:
      return null;
  }
}

/** @param {string} path */
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** @type {import('eslint').Rule.RuleModule} */
export const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layers of src/ (see tools/eslint/layers-rule.mjs)' },
    schema: [],
    messages: { refused: '{{why}}' },
  },
  create(context) {
    const file = context.filename;
    const srcRoot = resolve(context.cwd, 'src');
    const fromRel = relative(srcRoot, file).split(sep).join('/');
    if (fromRel.startsWith('..')) return {};
    /** @param {any} node */
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      // A folder import means its index.ts.
      const path = isDirectory(target) ? `${target}/index.ts` : target;
      const toRel = relative(srcRoot, path).split(sep).join('/');
      const why = refusal(fromRel, toRel);
      if (why) context.report({ node: node.source, messageId: 'refused', data: { why } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
