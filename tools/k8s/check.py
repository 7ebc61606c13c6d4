"""What the Kubernetes schemas cannot check in the rendered manifests (tools/k8s/validate.sh).

usage: check.py ENV_EXAMPLE RENDERED.yaml...

Each rendered kustomization must hold one API Deployment whose
  - liveness probe is GET /health and readiness probe GET /health/ready, on the container port;
  - terminationGracePeriodSeconds covers the preStop sleep plus SHUTDOWN_TIMEOUT_MS (the app's
    own drain), with a margin, so the kubelet never SIGKILLs a pod that is still draining;
  - configuration comes from a ConfigMap in the render and from the Secret mt-backend-secrets;
and every ConfigMap key is a variable the app reads (.env.example lists them all; NODE_OPTIONS is
Node's), the Secret (where the render has one) holds SECRET_KEY, ERASURE_RECEIPT_KEY, MONGODB_URL and
REDIS_URL, the
PodDisruptionBudget and Service select the API pods, the autoscaler scales the Deployment, and a
Job runs `node dist/cli.js sync-indexes`. Prints one line per render; exits 1 on any problem.
"""

import re
import sys

import yaml

SECRET_NAME = "mt-backend-secrets"
SECRET_KEYS = {"SECRET_KEY", "ERASURE_RECEIPT_KEY", "MONGODB_URL", "REDIS_URL"}
# Variables read by Node itself, not the app's config loader.
RUNTIME_VARIABLES = {"NODE_OPTIONS"}
# Seconds between the app's forced exit (SHUTDOWN_TIMEOUT_MS) and the kubelet's SIGKILL.
MIN_MARGIN_SECONDS = 2


def env_example_keys(path):
    with open(path, encoding="utf-8") as fh:
        return {m.group(1) for m in re.finditer(r"^([A-Z][A-Z0-9_]*)=", fh.read(), re.M)}


def by_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).get("matchLabels", {}).items())


def check_render(path, known_variables):
    with open(path, encoding="utf-8") as fh:
        docs = [d for d in yaml.safe_load_all(fh) if d]
    problems = []
    deployments = by_kind(docs, "Deployment")
    if len(deployments) != 1:
        return [f"expected one Deployment, found {len(deployments)}"], ""
    deployment = deployments[0]
    pod = deployment["spec"]["template"]
    pod_labels = pod["metadata"].get("labels", {})
    spec = pod["spec"]
    api = spec["containers"][0]
    ports = {p.get("name"): p["containerPort"] for p in api.get("ports", [])}

    def probe(name, path):
        got = api.get(name, {}).get("httpGet", {})
        if got.get("path") != path:
            problems.append(f"{name}: path {got.get('path')!r}, expected {path!r}")
        if got.get("port") not in ports and got.get("port") not in ports.values():
            problems.append(f"{name}: port {got.get('port')!r} is not a container port")

    probe("livenessProbe", "/health")
    probe("readinessProbe", "/health/ready")
    if not matches(deployment["spec"]["selector"], pod_labels):
        problems.append("Deployment selector does not match its pod labels")

    # Configuration sources.
    configmaps = {c["metadata"]["name"]: c.get("data", {}) for c in by_kind(docs, "ConfigMap")}
    secrets = {s["metadata"]["name"]: s for s in by_kind(docs, "Secret")}
    env = {}
    secret_refs = []
    for source in api.get("envFrom", []):
        if "configMapRef" in source:
            name = source["configMapRef"]["name"]
            if name not in configmaps:
                problems.append(f"envFrom: ConfigMap {name} is not in the render")
            env.update(configmaps.get(name, {}))
        if "secretRef" in source:
            secret_refs.append(source["secretRef"]["name"])
    if secret_refs != [SECRET_NAME]:
        problems.append(f"envFrom: secretRef {secret_refs}, expected [{SECRET_NAME}]")
    for name, data in configmaps.items():
        unknown = sorted(set(data) - known_variables - RUNTIME_VARIABLES)
        if unknown:
            problems.append(f"ConfigMap {name}: {unknown} not read by the app (not in .env.example)")
        leaked = sorted(set(data) & SECRET_KEYS)
        if leaked:
            problems.append(f"ConfigMap {name}: {leaked} belong in the Secret")
    if SECRET_NAME in secrets:
        secret = secrets[SECRET_NAME]
        keys = set(secret.get("stringData", {})) | set(secret.get("data", {}))
        if keys != SECRET_KEYS:
            problems.append(f"Secret {SECRET_NAME}: keys {sorted(keys)}, expected {sorted(SECRET_KEYS)}")

    # Drain: preStop sleep + the app's drain + margin <= grace period.
    drain_ms = int(env.get("SHUTDOWN_TIMEOUT_MS", "10000"))  # the app's default
    command = api.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
    sleep_s = int(command[1]) if command[:1] == ["sleep"] and len(command) == 2 else None
    if sleep_s is None:
        problems.append(f"preStop: expected ['sleep', N], found {command}")
        sleep_s = 0
    grace = spec.get("terminationGracePeriodSeconds", 30)
    needed = sleep_s + -(-drain_ms // 1000) + MIN_MARGIN_SECONDS
    if grace < needed:
        problems.append(
            f"terminationGracePeriodSeconds {grace} < preStop {sleep_s} s + SHUTDOWN_TIMEOUT_MS {drain_ms} ms"
            f" + {MIN_MARGIN_SECONDS} s margin = {needed} s"
        )

    # Around the Deployment.
    name = deployment["metadata"]["name"]
    for pdb in by_kind(docs, "PodDisruptionBudget") or [None]:
        if pdb is None:
            problems.append("no PodDisruptionBudget")
        elif not matches(pdb["spec"]["selector"], pod_labels):
            problems.append(f"PodDisruptionBudget {pdb['metadata']['name']} does not select the API pods")
    for svc in by_kind(docs, "Service"):
        if not all(pod_labels.get(k) == v for k, v in svc["spec"]["selector"].items()):
            problems.append(f"Service {svc['metadata']['name']} does not select the API pods")
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    if not hpas or any(h["spec"]["scaleTargetRef"] != {"apiVersion": "apps/v1", "kind": "Deployment", "name": name} for h in hpas):
        problems.append(f"expected a HorizontalPodAutoscaler scaling Deployment {name}")
    if "replicas" in deployment["spec"]:
        problems.append("Deployment sets replicas: the autoscaler owns it (an apply would reset it)")
    jobs = [j for j in by_kind(docs, "Job") if j["spec"]["template"]["spec"]["containers"][0].get("command") == ["node", "dist/cli.js", "sync-indexes"]]
    if len(jobs) != 1:
        problems.append("expected one Job running `node dist/cli.js sync-indexes`")

    replicas = ", ".join(f"{h['spec'].get('minReplicas', 1)}..{h['spec']['maxReplicas']} pods" for h in hpas)
    summary = (
        f"{len(docs)} resources, {replicas}, drain {sleep_s} s + {drain_ms / 1000:g} s"
        f" within a {grace} s grace period"
    )
    return problems, summary


def main(argv):
    known = env_example_keys(argv[1])
    failed = False
    for path in argv[2:]:
        problems, summary = check_render(path, known)
        name = path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if problems:
            failed = True
            print(f"k8s check {name}: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  {problem}")
        else:
            print(f"k8s check {name}: ok ({summary})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
