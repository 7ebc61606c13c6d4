/** A MongoDB cluster's name in MONGODB_CLUSTERS, the tenant record and the API. */
export const CLUSTER_NAME = /^[a-z0-9-]{1,32}$/;
