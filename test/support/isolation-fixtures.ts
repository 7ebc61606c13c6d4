import { globSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MatrixRow } from './authz-matrix';
import type { Session } from './factories';

/**
 * The per-module fixture registry of the generated suites (test/tenant-isolation.e2e-spec.ts and
 * test/authz-matrix.e2e-spec.ts). Each module that owns a path parameter or a row of the matrix
 * ships `src/modules/<module>/<module>.e2e-fixtures.ts` exporting `fixtures: ModuleFixtures`; the
 * suites find the files by glob, so a new module needs no edit to them. The files are test code:
 * tsconfig.build.json keeps them out of `dist/`.
 */

export const FIXTURE_GLOB = 'src/modules/*/*.e2e-fixtures.ts';

/** What a fixture gets to make one thing in one tenant, through the real HTTP API. */
export interface FixtureContext {
  tenantId: string;
  /** Who makes it: the tenant's admin, or the member a probe runs as (so it may also change it). */
  session: Session;
  /** The tenant's admin, for what only an admin may create. */
  admin: Session;
  /** A fresh random marker. Put one in EVERY text field: the suite finds leaks by searching for them. */
  marker(): string;
  /** Another path parameter of the same tenant, made by its own fixture when needed (e.g. a parent id). */
  param(name: string): Promise<string>;
  /** Calls the app as `session`; throws unless 2xx; returns the parsed JSON body (`{ id: "" }` when empty). */
  request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    session: Session,
    body?: object,
  ): Promise<ApiBody>;
}

/** A parsed JSON response; a creation answers with the new record, `id` included. */
export interface ApiBody {
  id: string;
  [field: string]: unknown;
}

export interface ModuleFixtures {
  /** Path parameters this module owns (as the OpenAPI paths name them) -> make one, return its id. */
  params?: Record<string, (ctx: FixtureContext) => Promise<string>>;
  /**
   * Valid request bodies by operation (`'PATCH /api/v1/projects/{project_id}'`), for when the one
   * derived from the OpenAPI schema would not be accepted. Text fields should carry `ctx.marker()`.
   */
  bodies?: Record<string, (ctx: FixtureContext) => Record<string, unknown>>;
  /**
   * Explicit rows of the authorization matrix by operation (`'GET /api/v1/projects'`), for what the
   * row derived from the document cannot know (ownership rules, public or superadmin routes, body checks).
   */
  matrix?: Record<string, MatrixRow>;
  /**
   * Superadmin GETs left out of the isolation suite's before/after snapshot of tenant B, each with
   * the reason (a view that differs on every call, like an export stamped with its time, or one that
   * exists only once the tenant is gone). A's callers still probe them like every operation.
   */
  notSnapshotted?: Record<string, string>;
  /**
   * By GET operation: the part of a 200 body that must read back unchanged in the isolation suite's
   * before/after snapshot of B, for an answer that legitimately changes while the suite reads it
   * (an audit log records the superadmin's own reads of B).
   */
  stableViews?: Record<string, (body: unknown) => unknown>;
}

export interface FixtureRegistry {
  params: Map<string, { file: string; make: (ctx: FixtureContext) => Promise<string> }>;
  bodies: Map<string, { file: string; make: (ctx: FixtureContext) => Record<string, unknown> }>;
  matrix: Map<string, { file: string; row: MatrixRow }>;
  notSnapshotted: Set<string>;
  stableViews: Map<string, (body: unknown) => unknown>;
  files: string[];
}

/** Loads every fixture file; a parameter, body or matrix row claimed by two files is an error. */
export function loadFixtures(root: string): FixtureRegistry {
  const registry: FixtureRegistry = {
    params: new Map(),
    bodies: new Map(),
    matrix: new Map(),
    notSnapshotted: new Set(),
    stableViews: new Map(),
    files: [],
  };
  for (const file of globSync(FIXTURE_GLOB, { cwd: root }).sort()) {
    const mod = jest.requireActual<{ fixtures?: ModuleFixtures }>(join(root, file));
    if (!mod.fixtures) throw new Error(`${file} must export \`fixtures: ModuleFixtures\``);
    const name = relative(root, join(root, file));
    registry.files.push(name);
    for (const [param, make] of Object.entries(mod.fixtures.params ?? {})) {
      const other = registry.params.get(param);
      if (other) throw new Error(`path parameter ${param} has two fixtures: ${other.file} and ${name}`);
      registry.params.set(param, { file: name, make });
    }
    for (const [op, make] of Object.entries(mod.fixtures.bodies ?? {})) {
      const other = registry.bodies.get(op);
      if (other) throw new Error(`body of ${op} is given twice: ${other.file} and ${name}`);
      registry.bodies.set(op, { file: name, make });
    }
    for (const [op, row] of Object.entries(mod.fixtures.matrix ?? {})) {
      const other = registry.matrix.get(op);
      if (other) throw new Error(`matrix row of ${op} is given twice: ${other.file} and ${name}`);
      registry.matrix.set(op, { file: name, row });
    }
    for (const op of Object.keys(mod.fixtures.notSnapshotted ?? {})) registry.notSnapshotted.add(op);
    for (const [op, view] of Object.entries(mod.fixtures.stableViews ?? {})) {
      if (registry.stableViews.has(op)) throw new Error(`stable view of ${op} is given twice (${name})`);
      registry.stableViews.set(op, view);
    }
  }
  return registry;
}

/** One set of path parameter values in one tenant, each made once on first use. */
export class ParamSet {
  private readonly made = new Map<string, Promise<string>>();

  constructor(
    private readonly registry: FixtureRegistry,
    private readonly base: Omit<FixtureContext, 'param'>,
  ) {}

  get(name: string): Promise<string> {
    let id = this.made.get(name);
    if (!id) {
      const fixture = this.registry.params.get(name);
      if (!fixture) return Promise.reject(new Error(missingFixture(name)));
      id = fixture.make({ ...this.base, param: (other) => this.get(other) });
      this.made.set(name, id);
    }
    return id;
  }

  /** `path` with every `{param}` replaced by this set's value. */
  async url(path: string): Promise<string> {
    let url = path;
    for (const [, name] of path.matchAll(/\{(\w+)\}/g)) url = url.replace(`{${name}}`, await this.get(name));
    return url;
  }
}

export const missingFixture = (param: string) =>
  `no fixture makes path parameter {${param}}: add a fixture file src/modules/<module>/<module>.e2e-fixtures.ts ` +
  `exporting \`fixtures: ModuleFixtures\` (test/support/isolation-fixtures.ts) with params.${param}, ` +
  `like src/modules/projects/projects.e2e-fixtures.ts`;
