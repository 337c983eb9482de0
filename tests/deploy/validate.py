#!/usr/bin/env python3
"""Static checks of deploy/: the Dockerfile, the Compose file and the Kubernetes manifests.

Docker and a cluster are not needed: every YAML file under deploy/ is parsed (all documents) and the properties the
deployment relies on are asserted. Run from anywhere:

    python3 tests/deploy/validate.py

Prints one line per failed check and a summary; exits 1 when any check failed, 2 when a file cannot be read.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover - environment problem, not a deploy problem
    print("validate.py needs PyYAML (apt-get install python3-yaml, or pip install pyyaml)", file=sys.stderr)
    sys.exit(2)

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
ENTRYPOINT = ["dotnet", "scimbridge.dll"]
IMAGE_UID = 1654  # APP_UID of the .NET images' non-root "app" user
SHUTDOWN_TIMEOUT_SECONDS = 30  # .NET's default HostOptions.ShutdownTimeout; the app does not change it


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failures: list[str] = []

    def check(self, ok: bool, where: str, message: str) -> bool:
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{where}: {message}")
        return ok


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def load_yaml_files() -> dict[Path, list]:
    docs: dict[Path, list] = {}
    for path in sorted(list(DEPLOY.rglob("*.yaml")) + list(DEPLOY.rglob("*.yml"))):
        try:
            docs[path] = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
        except yaml.YAMLError as error:
            print(f"{rel(path)}: not valid YAML: {error}", file=sys.stderr)
            sys.exit(2)
    return docs


def get(obj, *keys, default=None):
    for key in keys:
        if isinstance(obj, dict) and key in obj:
            obj = obj[key]
        elif isinstance(obj, list) and isinstance(key, int) and -len(obj) <= key < len(obj):
            obj = obj[key]
        else:
            return default
    return obj


def is_subset(selector: dict | None, labels: dict | None) -> bool:
    return bool(selector) and all((labels or {}).get(k) == v for k, v in selector.items())


# ---------------------------------------------------------------------------------------------------- Kubernetes


def check_k8s(c: Checks, docs: dict[Path, list]) -> None:
    manifests = [(p, d) for p, ds in docs.items() if K8S in p.parents for d in ds]
    c.check(bool(manifests), "deploy/k8s", "no manifests found")

    kustomizations = [(p, d) for p, d in manifests if d.get("kind") == "Kustomization"]
    objects = [(p, d) for p, d in manifests if d.get("kind") != "Kustomization"]

    for path, doc in objects:
        where = rel(path)
        c.check(isinstance(doc, dict), where, "document is not a mapping")
        for field in ("apiVersion", "kind"):
            c.check(bool(get(doc, field)), where, f"a document has no {field}")
        c.check(bool(get(doc, "metadata", "name")), where, f"{doc.get('kind', '?')} has no metadata.name")

    # kustomization.yaml lists every manifest file, and only existing ones.
    if c.check(len(kustomizations) == 1, "deploy/k8s", "expected exactly one kustomization.yaml"):
        kpath, kdoc = kustomizations[0]
        listed = {(kpath.parent / r).resolve() for r in kdoc.get("resources", [])}
        present = {p.resolve() for p, _ in objects}
        for missing in sorted(listed - {p.resolve() for p in docs}):
            c.check(False, rel(kpath), f"resource {missing.name} does not exist")
        for unlisted in sorted(present - listed):
            c.check(False, rel(kpath), f"{unlisted.name} is not listed in resources")
        namespace = kdoc.get("namespace")
    else:
        namespace = None

    by_kind: dict[str, list[tuple[Path, dict]]] = {}
    for path, doc in objects:
        by_kind.setdefault(doc.get("kind"), []).append((path, doc))

    namespaces = [get(d, "metadata", "name") for _, d in by_kind.get("Namespace", [])]
    c.check(len(namespaces) == 1, "deploy/k8s", "expected one Namespace")
    if namespaces:
        c.check(namespace in (None, namespaces[0]), "deploy/k8s/kustomization.yaml",
                f"namespace {namespace!r} differs from the Namespace {namespaces[0]!r}")
        for path, doc in objects:
            ns = get(doc, "metadata", "namespace")
            if doc.get("kind") != "Namespace" and ns is not None:
                c.check(ns == namespaces[0], rel(path), f"{doc['kind']} is in namespace {ns!r}, not {namespaces[0]!r}")

    for kind in ("Secret", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget"):
        c.check(len(by_kind.get(kind, [])) == 1, "deploy/k8s", f"expected exactly one {kind}, found {len(by_kind.get(kind, []))}")

    deployments = by_kind.get("Deployment", [])
    if not deployments:
        return
    dpath, deployment = deployments[0]
    pod_labels = check_deployment(c, rel(dpath), deployment, by_kind)

    for path, svc in by_kind.get("Service", []):
        where = rel(path)
        selector = get(svc, "spec", "selector")
        c.check(is_subset(selector, pod_labels), where, f"selector {selector} does not match the pod labels {pod_labels}")
        c.check(get(svc, "spec", "type", default="ClusterIP") == "ClusterIP", where, "type is not ClusterIP")
        ports = get(svc, "spec", "ports", default=[])
        c.check(any(p.get("port") == 80 for p in ports), where, "no port 80")
        container_ports = get(deployment, "spec", "template", "spec", "containers", 0, "ports", default=[])
        names = {p.get("name") for p in container_ports} | {p.get("containerPort") for p in container_ports}
        for p in ports:
            target = p.get("targetPort", p.get("port"))
            c.check(target in names, where, f"targetPort {target!r} is not a container port of the Deployment")
            c.check(target in (8080, "http") and 8080 in names, where, f"port {p.get('port')} does not reach 8080")

    for path, pdb in by_kind.get("PodDisruptionBudget", []):
        where = rel(path)
        selector = get(pdb, "spec", "selector", "matchLabels")
        c.check(is_subset(selector, pod_labels), where, f"selector {selector} does not match the pod labels {pod_labels}")
        c.check(get(pdb, "spec", "minAvailable") == 1, where, "minAvailable is not 1")
        c.check(get(pdb, "apiVersion") == "policy/v1", where, "apiVersion is not policy/v1")


def check_deployment(c: Checks, where: str, deployment: dict, by_kind: dict) -> dict:
    spec = deployment.get("spec", {})
    pod = get(spec, "template", "spec", default={})
    pod_labels = get(spec, "template", "metadata", "labels", default={})

    c.check(isinstance(spec.get("replicas"), int) and spec["replicas"] >= 2, where,
            f"replicas is {spec.get('replicas')!r}, expected at least 2")
    selector = get(spec, "selector", "matchLabels")
    c.check(is_subset(selector, pod_labels), where, f"selector {selector} does not match the pod labels {pod_labels}")

    containers = pod.get("containers", [])
    if not c.check(len(containers) == 1, where, "expected exactly one container"):
        return pod_labels
    container = containers[0]
    cwhere = f"{where} (container {container.get('name')})"

    c.check(not container.get("command") and not container.get("args"), cwhere,
            "command/args override the image's ENTRYPOINT (dotnet scimbridge.dll serves with no command)")

    # Probes on the right paths, against the container's port.
    port_names = {p.get("name") for p in container.get("ports", [])} | {p.get("containerPort") for p in container.get("ports", [])}
    for probe, path in (("startupProbe", None), ("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
        http = get(container, probe, "httpGet")
        if not c.check(isinstance(http, dict), cwhere, f"{probe} is missing or not an httpGet probe"):
            continue
        if path:
            c.check(http.get("path") == path, cwhere, f"{probe} path is {http.get('path')!r}, expected {path!r}")
        else:
            c.check(http.get("path") in ("/health/live", "/health/ready"), cwhere, f"{probe} path {http.get('path')!r} is not a health endpoint")
        c.check(http.get("port") in port_names, cwhere, f"{probe} port {http.get('port')!r} is not a container port")

    # Resources: requests and limits for cpu and memory, with limits >= requests for memory.
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            c.check(get(container, "resources", section, resource) is not None, cwhere, f"resources.{section}.{resource} is missing")
    req, lim = get(container, "resources", "requests", "memory"), get(container, "resources", "limits", "memory")
    if req and lim:
        c.check(mebibytes(lim) >= mebibytes(req), cwhere, f"memory limit {lim} is below the request {req}")
        c.check(mebibytes(lim) >= 400, cwhere, f"memory limit {lim} is below the measured peak RSS (~383 MB, docs/performance.md)")

    # Security context: pod- or container-level where Kubernetes allows either.
    psc, csc = pod.get("securityContext", {}) or {}, container.get("securityContext", {}) or {}
    c.check(csc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True, cwhere, "runAsNonRoot is not true")
    uid = csc.get("runAsUser", psc.get("runAsUser"))
    c.check(uid is None or (isinstance(uid, int) and uid != 0), cwhere, f"runAsUser {uid!r} is root")
    c.check(csc.get("readOnlyRootFilesystem") is True, cwhere, "readOnlyRootFilesystem is not true")
    c.check(csc.get("allowPrivilegeEscalation") is False, cwhere, "allowPrivilegeEscalation is not false")
    c.check(get(csc, "capabilities", "drop") == ["ALL"], cwhere, "capabilities.drop is not [ALL]")
    c.check(not get(csc, "capabilities", "add"), cwhere, "capabilities are added")
    seccomp = get(csc, "seccompProfile", "type", default=get(psc, "seccompProfile", "type"))
    c.check(seccomp == "RuntimeDefault", cwhere, f"seccompProfile is {seccomp!r}, expected RuntimeDefault")

    # A writable /tmp from an emptyDir, and no other writable mount.
    volumes = {v.get("name"): v for v in pod.get("volumes", [])}
    mounts = {m.get("mountPath"): m for m in container.get("volumeMounts", [])}
    tmp = mounts.get("/tmp")
    c.check(tmp is not None and "emptyDir" in volumes.get(tmp.get("name"), {}), cwhere, "/tmp is not an emptyDir mount")

    # Configuration from the ConfigMap and the Secret that exist in the manifests.
    env_from = container.get("envFrom", [])
    configmaps = {get(d, "metadata", "name") for _, d in by_kind.get("ConfigMap", [])}
    secrets = {get(d, "metadata", "name") for _, d in by_kind.get("Secret", [])}
    used_cm = {get(e, "configMapRef", "name") for e in env_from} - {None}
    used_secret = {get(e, "secretRef", "name") for e in env_from} - {None}
    c.check(bool(used_cm) and used_cm <= configmaps, cwhere, f"envFrom configMapRef {used_cm} is not one of {configmaps}")
    c.check(bool(used_secret) and used_secret <= secrets, cwhere, f"envFrom secretRef {used_secret} is not one of {secrets}")
    check_configuration(c, by_kind)

    # Shutdown: the grace period covers the preStop delay plus the host's shutdown timeout.
    grace = pod.get("terminationGracePeriodSeconds", 30)
    pre_stop = get(container, "lifecycle", "preStop", "exec", "command", default=[])
    delay = int(pre_stop[1]) if len(pre_stop) == 2 and pre_stop[0] == "sleep" and str(pre_stop[1]).isdigit() else 0
    c.check(grace >= SHUTDOWN_TIMEOUT_SECONDS + delay, where,
            f"terminationGracePeriodSeconds {grace} < preStop {delay} s + shutdown timeout {SHUTDOWN_TIMEOUT_SECONDS} s")

    # Replicas spread across nodes: a hostname topology spread constraint or pod anti-affinity.
    spread = [t for t in pod.get("topologySpreadConstraints", []) if t.get("topologyKey") == "kubernetes.io/hostname"
              and is_subset(get(t, "labelSelector", "matchLabels"), pod_labels)]
    anti = get(pod, "affinity", "podAntiAffinity", default={})
    anti_terms = (anti.get("requiredDuringSchedulingIgnoredDuringExecution", [])
                  + [t.get("podAffinityTerm", {}) for t in anti.get("preferredDuringSchedulingIgnoredDuringExecution", [])])
    anti_ok = any(t.get("topologyKey") == "kubernetes.io/hostname"
                  and is_subset(get(t, "labelSelector", "matchLabels"), pod_labels) for t in anti_terms)
    c.check(bool(spread) or anti_ok, where, "no topologySpreadConstraints or podAntiAffinity across kubernetes.io/hostname")
    return pod_labels


def check_configuration(c: Checks, by_kind: dict) -> None:
    data: dict = {}
    for _, cm in by_kind.get("ConfigMap", []):
        data.update(cm.get("data", {}) or {})
    secret_keys: dict = {}
    for path, secret in by_kind.get("Secret", []):
        values = {**(secret.get("data") or {}), **(secret.get("stringData") or {})}
        secret_keys.update(values)
        for key, value in values.items():
            c.check("CHANGE-ME" in str(value), rel(path), f"{key} is not a CHANGE-ME placeholder: real secrets do not belong in git")
    c.check("Storage__ConnectionString" in secret_keys, "deploy/k8s", "the Secret has no Storage__ConnectionString")
    c.check("Storage__ConnectionString" not in data, "deploy/k8s", "Storage__ConnectionString is in the ConfigMap (it holds a password)")
    for key, variable in data.items():
        if re.fullmatch(r"Connections__Declared__\d+__SecretEnvironmentVariable", key):
            c.check(variable in secret_keys, "deploy/k8s", f"{key} names {variable}, which the Secret does not define")
    for key in data:
        c.check(not re.search(r"secret|password", key, re.I) or key.endswith("__SecretEnvironmentVariable"),
                "deploy/k8s", f"ConfigMap key {key} looks secret; it belongs in the Secret")


def mebibytes(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "K": 1000 / 1024**2, "M": 1000**2 / 1024**2, "G": 1000**3 / 1024**2}
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]i?)?", str(quantity))
    if not match:
        return 0
    return float(match.group(1)) * (units[match.group(2)] if match.group(2) else 1 / 1024**2)


# ------------------------------------------------------------------------------------------------------- Compose


def check_compose(c: Checks, docs: dict[Path, list]) -> None:
    path = DEPLOY / "compose.yaml"
    where = rel(path)
    if not c.check(path in docs and len(docs[path]) == 1, where, "missing, or not exactly one document"):
        return
    services = docs[path][0].get("services", {}) or {}

    def is_scimbridge(svc: dict) -> bool:
        return get(svc, "build", "dockerfile") == "deploy/Dockerfile" or str(svc.get("image", "")).startswith("scimbridge")

    def env(svc: dict) -> dict:
        e = svc.get("environment", {}) or {}
        return dict(x.split("=", 1) if "=" in x else (x, None) for x in e) if isinstance(e, list) else e

    default = {n: s for n, s in services.items() if not s.get("profiles")}
    postgres = {n: s for n, s in services.items() if "postgres" in (s.get("profiles") or [])}

    sqlite = [n for n, s in default.items() if is_scimbridge(s)]
    if c.check(len(sqlite) == 1, where, f"expected one ScimBridge service without a profile (SQLite), found {sqlite}"):
        svc = default[sqlite[0]]
        c.check(not env(svc).get("Storage__ConnectionString"), f"{where} ({sqlite[0]})", "the default service sets Storage__ConnectionString")
        c.check(any(str(v).endswith(":/var/lib/scimbridge") for v in svc.get("volumes", [])), f"{where} ({sqlite[0]})",
                "no volume on /var/lib/scimbridge for the SQLite data")
    c.check(all(is_scimbridge(s) for s in default.values()), where, "a non-ScimBridge service runs without a profile")

    databases = [n for n, s in postgres.items() if str(s.get("image", "")).split(":")[0] in ("postgres", "docker.io/library/postgres")]
    if c.check(len(databases) == 1, where, f"expected one postgres service in the postgres profile, found {databases}"):
        db_name = databases[0]
        db = postgres[db_name]
        dwhere = f"{where} ({db_name})"
        c.check(str(db.get("image")).split(":")[1].startswith("16") if ":" in str(db.get("image")) else False, dwhere, "image is not postgres:16")
        c.check("pg_isready" in json.dumps(get(db, "healthcheck", "test")), dwhere, "healthcheck does not use pg_isready")
        named = set((docs[path][0].get("volumes") or {}).keys())
        c.check(any(str(v).split(":")[0] in named and str(v).split(":")[1].startswith("/var/lib/postgresql")
                    for v in db.get("volumes", [])), dwhere, "no named volume on /var/lib/postgresql")
        c.check("${POSTGRES_PASSWORD" in str(env(db).get("POSTGRES_PASSWORD")), dwhere, "POSTGRES_PASSWORD does not come from the environment")
    else:
        db_name = None

    replicas = [n for n, s in postgres.items() if is_scimbridge(s)]
    c.check(len(replicas) == 2, where, f"expected two ScimBridge services in the postgres profile, found {replicas}")
    host_ports = []
    for name in replicas:
        svc, swhere = postgres[name], f"{where} ({name})"
        cs = str(env(svc).get("Storage__ConnectionString") or "")
        c.check(f"Host={db_name}" in cs, swhere, f"Storage__ConnectionString does not point at the {db_name} service")
        c.check("Password=${POSTGRES_PASSWORD" in cs, swhere, "the connection string's password is not ${POSTGRES_PASSWORD...}")
        c.check(get(svc, "depends_on", db_name, "condition") == "service_healthy", swhere,
                f"does not depend on {db_name} with condition service_healthy")
        host_ports += [str(p).rsplit(":", 2)[-2] for p in svc.get("ports", []) if str(p).endswith(":8080")]
    c.check(len(host_ports) == len(set(host_ports)) == len(replicas), where, f"replicas need distinct host ports, got {host_ports}")

    for name, svc in services.items():
        if not is_scimbridge(svc):
            continue
        swhere = f"{where} ({name})"
        c.check(svc.get("read_only") is True, swhere, "read_only is not true")
        c.check("/tmp" in [str(t).split(":")[0] for t in svc.get("tmpfs", []) or []], swhere, "no tmpfs on /tmp")
        user = str(svc.get("user", IMAGE_UID)).split(":")[0]
        c.check(user not in ("0", "root"), swhere, "runs as root")
        test = json.dumps(get(svc, "healthcheck", "test"))
        c.check("/health/ready" in test, swhere, "healthcheck does not ask /health/ready")
        for key, value in env(svc).items():
            if key.endswith("SECRET") or key.endswith("PASSWORD"):
                c.check(str(value).startswith("${"), swhere, f"{key} is a literal, not taken from the host environment")


# ---------------------------------------------------------------------------------------------------- Dockerfile


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    instructions, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue  # comment lines inside a continuation are dropped by Docker too
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, rest = current.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        current = ""
    return instructions


def check_dockerfile(c: Checks) -> None:
    path = DEPLOY / "Dockerfile"
    where = rel(path)
    if not c.check(path.exists(), where, "missing"):
        return
    instructions = dockerfile_instructions(path.read_text(encoding="utf-8"))
    stages = [i for i, (k, _) in enumerate(instructions) if k == "FROM"]
    c.check(len(stages) >= 2, where, "not multi-stage (build in the SDK image, run in the runtime image)")
    if not stages:
        return
    final = instructions[stages[-1]:]
    base = final[0][1].split()[0]
    c.check("/dotnet/aspnet:" in base or "/dotnet/runtime" in base, where, f"final stage is {base}, not the ASP.NET Core runtime image")

    users = [v for k, v in final if k == "USER"]
    c.check(bool(users), where, "final stage has no USER (it would run as root)")
    if users:
        user = users[-1].split(":")[0]
        c.check(user not in ("root", "0"), where, f"final USER is {user}")
        c.check(user.isdigit() or user in ("$APP_UID", "${APP_UID}"), where,
                f"USER {user} is not numeric: Kubernetes' runAsNonRoot cannot verify a user name")

    entrypoints = [v for k, v in final if k == "ENTRYPOINT"]
    if c.check(len(entrypoints) == 1, where, "final stage needs exactly one ENTRYPOINT"):
        try:
            entrypoint = json.loads(entrypoints[0])
        except json.JSONDecodeError:
            entrypoint = None
        c.check(entrypoint == ENTRYPOINT, where,
                f"ENTRYPOINT is {entrypoints[0]}, expected the exec form {json.dumps(ENTRYPOINT)} (the service binary, no command)")
    c.check(not [v for k, v in final if k == "CMD"], where, "final stage has a CMD: the binary must start with no command")
    c.check(any(k == "EXPOSE" and "8080" in v.split() for k, v in final), where, "does not EXPOSE 8080")
    c.check(any(k == "ENV" and "Urls=http://0.0.0.0:8080" in v for k, v in final), where, "does not set Urls=http://0.0.0.0:8080")

    ignore = DEPLOY / "Dockerfile.dockerignore"
    if c.check(ignore.exists(), rel(ignore), "missing: host bin/ and obj/ would be copied into the build"):
        patterns = {l.strip() for l in ignore.read_text(encoding="utf-8").splitlines()}
        for needed in ("**/bin/", "**/obj/"):
            c.check(needed in patterns or needed.rstrip("/") in patterns, rel(ignore), f"does not exclude {needed}")


def main() -> int:
    c = Checks()
    docs = load_yaml_files()
    c.check(bool(docs), "deploy", "no YAML files found")
    check_k8s(c, docs)
    check_compose(c, docs)
    check_dockerfile(c)
    for failure in c.failures:
        print(f"FAIL {failure}")
    files = len(docs) + 1
    if c.failures:
        print(f"deploy validation failed: {len(c.failures)} of {c.passed + len(c.failures)} checks ({files} files)")
        return 1
    print(f"deploy validation ok: {c.passed} checks ({files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
