#!/usr/bin/env bash
# Kubernetes manifests (`npm run k8s:validate`, a phase of .ci/run): renders every kustomization
# in deploy/kubernetes (the base and each overlay) with kustomize, then
#   1. validates each rendered resource against the Kubernetes OpenAPI schemas of the oldest and
#      the newest version we support (kubernetes-validate --strict: unknown fields fail too);
#   2. checks what the schemas cannot (tools/k8s/check.py): probes on /health and /health/ready,
#      the drain adding up (terminationGracePeriodSeconds vs preStop + SHUTDOWN_TIMEOUT_MS), the
#      configuration keys being variables the app reads, the Secret's keys, selectors, the Job.
# No cluster needed. Tools, pinned, cached in $HOME/.cache/mt-backend:
#   kustomize v5.8.1, built from its Go module (the Go module proxy; minutes on a cold Go cache);
#   kubernetes-validate and its dependencies (tools/k8s/requirements.txt) in a venv, remade when
#   requirements.txt changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CACHE="$HOME/.cache/mt-backend"
KUSTOMIZE_VERSION=v5.8.1
KUSTOMIZE="$CACHE/kustomize-$KUSTOMIZE_VERSION/kustomize"
VENV="$CACHE/k8s-venv"
REQUIREMENTS="$ROOT/tools/k8s/requirements.txt"
# Oldest supported (restricted Pod Security labels, autoscaling/v2, batch/v1 CronJob are older) and newest.
KUBERNETES_VERSIONS=(1.30.0 1.37.0)

log() { printf '[k8s] %s\n' "$*" >&2; }

if [[ ! -x "$KUSTOMIZE" ]]; then
  command -v go >/dev/null || { log "go is required to build kustomize"; exit 1; }
  log "building kustomize $KUSTOMIZE_VERSION into $(dirname "$KUSTOMIZE")"
  GOBIN="$(dirname "$KUSTOMIZE")" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi

stamp="$(sha256sum "$REQUIREMENTS" | cut -c1-16)"
if [[ ! -x "$VENV/bin/kubernetes-validate" || "$(cat "$VENV/.requirements-stamp" 2>/dev/null)" != "$stamp" ]]; then
  log "installing $(head -1 "$REQUIREMENTS") (+ pinned dependencies) into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$stamp" >"$VENV/.requirements-stamp"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mtb-k8s-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

rendered=()
while IFS= read -r kustomization; do
  dir="$(dirname "$kustomization")"
  name="${dir#deploy/kubernetes/}"
  out="$WORK/${name//\//_}.yaml"
  "$KUSTOMIZE" build "$dir" >"$out"
  log "rendered $dir: $(grep -c '^kind:' "$out") resources"
  rendered+=("$out")
done < <(find deploy/kubernetes -name kustomization.yaml | sort)

for version in "${KUBERNETES_VERSIONS[@]}"; do
  # --quiet: only failures and warnings; each failure names the resource and the field.
  "$VENV/bin/kubernetes-validate" --strict --quiet -k "$version" "${rendered[@]}"
  log "kubernetes-validate --strict -k $version: ${#rendered[@]} renders valid"
done

"$VENV/bin/python" tools/k8s/check.py .env.example "${rendered[@]}"
