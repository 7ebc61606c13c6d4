import { CLUSTER_NAME } from '../../common/cluster-name';

/** A named MongoDB deployment that holds tenant databases (`default` also holds the master one). */
export interface ClusterConfig {
  name: string;
  url: string;
}

export const DEFAULT_CLUSTER = 'default';
export { CLUSTER_NAME };
const URL_SHAPE = /^mongodb(\+srv)?:\/\/\S+$/;

/**
 * Parses MONGODB_CLUSTERS: `name=url` pairs, e.g.
 * `default=mongodb://a:27017,eu=mongodb://b1:27017,b2:27017/?replicaSet=rs0`.
 *
 * A connection string may itself hold commas (a replica set's host list) and `;` is legal in
 * none of its parts we accept, so pairs are split at a `;`, or at a `,` only where it is directly
 * followed by `<name>=mongodb` (`<name>=mongodb+srv`): a host of a list never looks like that.
 * Names are `[a-z0-9-]{1,32}`, unique; `default` is required (it holds the master database).
 * Problems are returned, never the URLs (they can carry credentials).
 */
export function parseClusters(raw: string): { clusters: ClusterConfig[]; problems: string[] } {
  const problems: string[] = [];
  const clusters: ClusterConfig[] = [];
  const parts = raw
    .split(/;|,(?=\s*[a-z0-9-]{1,32}=mongodb(?:\+srv)?:\/\/)/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const [index, part] of parts.entries()) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    const url = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (!CLUSTER_NAME.test(name)) {
      problems.push(`MONGODB_CLUSTERS entry ${index + 1}: the name must match [a-z0-9-]{1,32} (name=mongodb://...)`);
      continue;
    }
    if (!URL_SHAPE.test(url)) {
      problems.push(`MONGODB_CLUSTERS cluster "${name}": the URL must start with mongodb:// or mongodb+srv://`);
      continue;
    }
    if (clusters.some((c) => c.name === name)) problems.push(`MONGODB_CLUSTERS names cluster "${name}" twice`);
    else clusters.push({ name, url });
  }
  if (problems.length === 0 && !clusters.some((c) => c.name === DEFAULT_CLUSTER))
    problems.push('MONGODB_CLUSTERS must name a "default" cluster (it holds the master database)');
  return { clusters, problems };
}
