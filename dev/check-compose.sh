#!/usr/bin/env bash
# Checks compose.yaml without Docker:
#   1. against the Compose specification (check-jsonschema's bundled schema,
#      so no network is needed once it is installed);
#   2. what the schema cannot see: every depends_on names a service, every
#      mounted file exists in the repository, every named volume is declared,
#      and the subgraphs get no environment variable that the Rust code does
#      not read (the list is SETTINGS in crates/service/src/config.rs).
#
#   dev/check-compose.sh [COMPOSE_FILE]
#
# COMPOSE_FILE defaults to the repository's compose.yaml. SETTINGS_SOURCE
# overrides where SETTINGS is read from. check-jsonschema and PyYAML are
# installed, pinned, into ${XDG_CACHE_HOME:-$HOME/.cache}/makrx/venv when
# missing.
set -euo pipefail

CHECK_JSONSCHEMA_VERSION=0.39.0
PYYAML_VERSION=6.0.4

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
compose_file=$(realpath "${1:-$repo/compose.yaml}")
settings_source=${SETTINGS_SOURCE:-$repo/crates/service/src/config.rs}
venv=${XDG_CACHE_HOME:-$HOME/.cache}/makrx/venv

fail() {
  echo "check-compose: $*" >&2
  exit 1
}

[[ -f $compose_file ]] || fail "no compose file at $compose_file"

# Install only when the pinned versions are not already there: the venv is
# shared with other project tools, and the check must work offline after.
if ! "$venv/bin/python" - "$CHECK_JSONSCHEMA_VERSION" "$PYYAML_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(0 if (version("check-jsonschema"), version("PyYAML")) == tuple(sys.argv[1:3]) else 1)
PY
then
  echo "check-compose: installing check-jsonschema $CHECK_JSONSCHEMA_VERSION into $venv" >&2
  [[ -x $venv/bin/python ]] || python3 -m venv "$venv" || fail "cannot create the venv $venv (Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "PyYAML==$PYYAML_VERSION" >&2 \
    || fail "pip could not install check-jsonschema $CHECK_JSONSCHEMA_VERSION"
fi

"$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$compose_file" \
  || fail "$compose_file does not follow the Compose specification (see above)"

"$venv/bin/python" - "$compose_file" "$settings_source" "$repo" <<'PY'
import os
import re
import sys

import yaml

compose_path, settings_path, repo = sys.argv[1:4]
compose_dir = os.path.dirname(compose_path)
SUBGRAPHS = ["identity", "makrcave", "store", "events"]
problems = []


def read_settings(path):
    """The names in `pub const SETTINGS: &[&str] = &[...]`, written once in Rust."""
    try:
        source = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        problems.append(
            f"cannot check the subgraphs' environment: {path} does not exist; it must define\n"
            "    `pub const SETTINGS: &[&str] = &[...]` (makrx_service::config::SETTINGS),\n"
            "    or set SETTINGS_SOURCE to the file that does"
        )
        return None
    match = re.search(r"pub\s+const\s+SETTINGS\s*:\s*&\[&str\]\s*=\s*&\[(.*?)\]\s*;", source, re.S)
    names = re.findall(r'"([A-Z][A-Z0-9_]*)"', match.group(1)) if match else []
    if not names:
        problems.append(f'found no `pub const SETTINGS: &[&str] = &["NAME", ...];` in {path}')
        return None
    return set(names)


def environment_names(service):
    env = service.get("environment") or {}
    if isinstance(env, dict):
        return set(env)
    return {entry.split("=", 1)[0] for entry in env}


def bind_sources(service):
    """(source, may_be_missing) for each bind mount; named volumes are (None, name)."""
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/", "~")):
                yield source, False
            else:
                yield None, source
        elif volume.get("type") == "bind":
            # create_host_path: true marks a build output (web/dist) that
            # Docker creates empty when it is not built yet.
            yield volume["source"], bool(volume.get("bind", {}).get("create_host_path"))
        elif volume.get("type") == "volume" and volume.get("source"):
            yield None, volume["source"]


with open(compose_path, encoding="utf-8") as f:
    compose = yaml.safe_load(f)
services = compose.get("services") or {}
declared_volumes = set(compose.get("volumes") or {})

for name, service in services.items():
    depends_on = service.get("depends_on") or []
    for dependency in depends_on:
        if dependency not in services:
            problems.append(f"service {name} depends on {dependency!r}, which is not a service")

    for source, extra in bind_sources(service):
        if source is None:
            if extra not in declared_volumes:
                problems.append(f"service {name} mounts the volume {extra!r}, which is not declared under volumes:")
            continue
        path = os.path.realpath(os.path.join(compose_dir, os.path.expanduser(source)))
        if not (path == repo or path.startswith(repo + os.sep)):
            problems.append(f"service {name} mounts {source}, which is outside the repository")
        elif not extra and not os.path.exists(path):
            problems.append(f"service {name} mounts {source}, which does not exist")

    build = service.get("build")
    if build is not None:
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        if not os.path.isfile(os.path.join(compose_dir, context, dockerfile)):
            problems.append(f"service {name} builds from {os.path.join(context, dockerfile)}, which does not exist")

settings = read_settings(settings_path)
for name in SUBGRAPHS:
    service = services.get(name)
    if service is None:
        problems.append(f"the subgraph service {name} is missing")
        continue
    if service.get("env_file"):
        problems.append(f"service {name} uses env_file, whose names this check cannot see; list the settings in environment:")
    unknown = sorted(environment_names(service) - settings) if settings else []
    if unknown:
        problems.append(
            f"service {name} sets {', '.join(unknown)}, which the subgraphs do not read "
            f"(SETTINGS in {os.path.relpath(settings_path, repo) if settings_path.startswith(repo) else settings_path}: {', '.join(sorted(settings))})"
        )

if problems:
    print(f"check-compose: {len(problems)} problem(s) in {compose_path}:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(1)
print(f"check-compose: {os.path.basename(compose_path)} is valid: {len(services)} services, "
      f"the subgraphs set only names from SETTINGS ({len(settings)})")
PY
