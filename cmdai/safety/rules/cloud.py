"""Containers, Kubernetes, cloud CLIs and infrastructure as code: bulk and single deletes."""
from __future__ import annotations

from ...records import Value
from ..levels import Risk
from .base import Cmd, Hit, checks, rule
from .paths import Scope, normalize, scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Tuple

CLOUD = "containers, clusters and cloud"
H, M = Risk.HIGH, Risk.MODERATE

PRUNE = rule("container.prune", H, CLOUD, "deletes all unused containers, images, networks or volumes")
BULK_RM = rule("container.bulk-remove", H, CLOUD, "deletes every container or image the inner command lists")
SYSTEM_RESET = rule("container.system-reset", H, CLOUD, "deletes every container, image, volume and network")
RM_ONE = rule("container.remove", M, CLOUD, "deletes the container, image or volume {target}")
COMPOSE_VOLUMES = rule("container.compose-down-volumes", H, CLOUD, "stops the services and deletes their volumes")
COMPOSE_DOWN = rule("container.compose-down", M, CLOUD, "stops and removes the project's containers")
PRIVILEGED = rule("container.privileged", H, CLOUD, "runs a container with full access to the host")
K8S_BULK = rule("k8s.bulk-delete", H, CLOUD, "deletes {target} in the cluster, with everything it holds")
K8S_SCALE_ZERO = rule("k8s.scale-to-zero", H, CLOUD, "scales every {target} to zero, stopping what they serve")
K8S_DELETE = rule("k8s.delete", M, CLOUD, "deletes the cluster resource {target}")
K8S_DRAIN = rule("k8s.drain", M, CLOUD, "evicts every pod from the node {target}")
HELM_UNINSTALL = rule("k8s.helm-uninstall", H, CLOUD, "uninstalls the release {target} and all its resources")
IAC_DESTROY = rule("iac.destroy", H, CLOUD, "destroys all infrastructure the configuration manages")
IAC_APPLY = rule("iac.apply-unattended", M, CLOUD, "changes infrastructure without asking for approval")
IAC_STATE = rule("iac.state-remove", M, CLOUD, "removes resources from the infrastructure state")
CLOUD_BULK = rule("cloud.bulk-delete", H, CLOUD, "deletes {target} in the cloud, with all it contains")
CLOUD_DELETE = rule("cloud.delete", M, CLOUD, "deletes the cloud resource {target}")

_K8S_WIDE = {"ns", "namespace", "namespaces", "node", "nodes", "pv", "pvc", "persistentvolume",
             "persistentvolumes", "persistentvolumeclaim", "persistentvolumeclaims", "crd", "crds",
             "customresourcedefinition", "customresourcedefinitions", "cluster", "all"}
_CLOUD_WIDE_WORDS = ("project", "group", "cluster", "bucket", "rb", "db-instance", "db-cluster", "table",
                     "stack", "account", "subscription", "terminate-instances", "vpc", "instances",
                     "database", "vault", "keyvault", "registry", "storage")


#: CLIs that run a command inside a container or pod (docker exec, kubectl exec …).
CONTAINER_TOOLS = frozenset(["docker", "podman", "nerdctl", "docker-compose", "kubectl", "oc"])
_GLOBAL_VALUES = {"-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert", "--tlscert",
                  "--tlskey", "--url", "--connection", "--identity", "--root", "--runroot", "--namespace", "-n",
                  "--address", "-a", "-f", "--file", "-p", "--project-name", "--profile", "--env-file",
                  "--project-directory", "--ansi", "--progress", "--parallel", "--cluster", "--kubeconfig",
                  "--user", "-s", "--server", "--token", "--as", "--as-group", "--request-timeout"}
# Options without a value; every other option of run/exec takes one, so unknown ones skip a word.
_FLAG_LETTERS = set("ditPqT")
_FLAG_WORDS = {"--rm", "--privileged", "--init", "--read-only", "--detach", "--interactive", "--tty",
               "--publish-all", "--quiet", "--no-healthcheck", "--oom-kill-disable", "--sig-proxy",
               "--disable-content-trust", "--no-deps", "--service-ports", "--use-aliases", "--build",
               "--quiet-pull", "--remove-orphans", "--no-TTY", "--replace", "--stdin", "--command", "--attach",
               "--leave-stdin-open", "--help"}


class ContainerCall(Value):
    """A container or pod CLI call that runs a command: what it is told and where the command starts."""

    verb: str
    #: (option, value) pairs given before the image, container, service or pod.
    options: List[Tuple[str, Optional[str]]]
    #: Index in the arguments where the command to run starts (their length when there is none).
    body: int
    entrypoint: Optional[str]


def container_call(name: str, args: List[str]) -> Optional[ContainerCall]:
    """The run/create/exec call of docker, podman, nerdctl, compose or kubectl, if this is one."""
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in _GLOBAL_VALUES else 1
    if i >= len(args):
        return None
    verb = args[i]
    if name != "docker-compose" and verb in ("container", "compose"):
        inner = container_call("docker-compose" if verb == "compose" else name, args[i + 1:])
        return inner._replace(body=inner.body + i + 1) if inner else None
    if verb not in ("run", "create", "exec", "debug"):
        return None
    options, i = _options(args, i + 1)
    if name in ("kubectl", "oc"):
        if "--" in args[i:] or verb != "exec":
            body = args.index("--", i) + 1 if "--" in args[i:] else len(args)
        else:
            body = i + 1  # kubectl exec POD CMD, the form before "--" was required
        return ContainerCall(verb, options, body, None)
    entrypoint = next((v for o, v in options if o == "--entrypoint" and v), None)
    return ContainerCall(verb, options, min(i + 1, len(args)), entrypoint)


def _options(args: List[str], i: int) -> Tuple[List[Tuple[str, Optional[str]]], int]:
    """The options from ``args[i]`` on as (option, value) pairs, and the index of the first operand."""
    found: List[Tuple[str, Optional[str]]] = []
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            if eq or a in _FLAG_WORDS:
                found.append((name, value if eq else None))
                i += 1
            else:
                found.append((a, nxt))
                i += 2
            continue
        letters = a[1:]
        k = next((j for j, ch in enumerate(letters) if ch not in _FLAG_LETTERS), None)
        if k is None:
            found.append((a, None))
            i += 1
        elif k < len(letters) - 1:
            found.append(("-" + letters[k], letters[k + 1:].lstrip("=")))
            i += 1
        else:
            found.append(("-" + letters[k], nxt))
            i += 2
    return found, i


def _host_access(options: List[Tuple[str, Optional[str]]]) -> bool:
    """Whether the options give the container the host: privileges, its processes or its system dirs."""
    for name, value in options:
        value = value or ""
        if name == "--privileged" and value in ("", "true"):
            return True
        if name in ("--pid", "--userns") and value == "host":
            return True
        if name == "--cap-add" and value.upper().replace("CAP_", "") in ("ALL", "SYS_ADMIN", "SYS_MODULE"):
            return True
        if name in ("-v", "--volume", "--mount"):
            if name == "--mount":
                fields = dict(f.partition("=")[::2] for f in value.split(","))
                source = fields.get("source", fields.get("src", ""))
                read_only = "readonly" in fields or "ro" in fields
            else:
                source, _, rest = value.partition(":")
                read_only = "ro" in rest.split(":")[-1].split(",")
            path = normalize(source).rstrip("/") or "/"
            if path == "/" or path.endswith("docker.sock"):
                return True
            if scope(path) in (Scope.ROOT, Scope.SYSTEM) and not read_only:
                return True
    return False


@checks("docker", "podman", "nerdctl")
def check_containers(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return []
    call = container_call(cmd.name, args)
    if call is not None:
        return [Hit(PRIVILEGED)] if _host_access(call.options) else []
    if "prune" in words[:2]:
        return [Hit(PRUNE)]
    if words[:2] == ["system", "reset"]:
        return [Hit(SYSTEM_RESET)]
    if words[0] == "compose" or words[0] == "stack" and words[1:2] == ["rm"]:
        return check_compose(Cmd("docker-compose", args[args.index(words[0]) + 1:]))
    removing = words[0] in ("rm", "rmi") or (len(words) > 1 and words[0] in ("container", "image", "volume",
                                                                            "network", "system", "buildx")
                                            and words[1] in ("rm", "remove", "prune"))
    if removing:
        targets = words[1:] if words[0] in ("rm", "rmi") else words[2:]
        dynamic = [a for a, d in zip(args, cmd.dynamic or [False] * len(args)) if d]
        if dynamic or cmd.appended:
            return [Hit(BULK_RM)]
        return [Hit(RM_ONE, " ".join(targets) or None)]
    return []


@checks("docker-compose", "podman-compose")
def check_compose(cmd: Cmd) -> List[Hit]:
    words = [a for a in cmd.args if not a.startswith("-")]
    if words[:1] != ["down"] and words[:1] != ["rm"]:
        return []
    opts = cmd.options()
    if "v" in opts.shorts or "--volumes" in opts.longs or "--rmi" in opts.longs:
        return [Hit(COMPOSE_VOLUMES)]
    return [Hit(COMPOSE_DOWN)]


@checks("kubectl", "oc", "kubecolor")
def check_kubectl(cmd: Cmd) -> List[Hit]:
    opts = cmd.options(("-n", "--namespace", "-l", "--selector", "-f", "--filename", "--context",
                        "--cluster", "-o", "--output", "--field-selector", "--grace-period", "--timeout",
                        "--replicas"))
    dry_run = opts.values.get("--dry-run")
    if "--dry-run" in opts.longs and (not dry_run or dry_run[-1] != "none"):
        return []
    words = opts.operands
    if not words:
        return []
    if words[0] == "drain":
        return [Hit(K8S_DRAIN, " ".join(words[1:]) or None)]
    if words[0] == "scale" and opts.value("--replicas") == "0" and (
            "--all" in opts.longs or "A" in opts.shorts or "--all-namespaces" in opts.longs
            or "-l" in opts.values or "--selector" in opts.values):
        return [Hit(K8S_SCALE_ZERO, " ".join(words[1:]) or None)]
    if words[0] != "delete":
        return []
    kinds = words[1].lower().split(",") if len(words) > 1 else []
    files = opts.values.get("-f", []) + opts.values.get("--filename", [])
    target = " ".join(words[1:]) or " ".join(files) or "resources"
    # A directory of manifests (-f ., -f k8s/, -R, -k) holds every resource the project defines.
    from_directory = any(f in (".", "..") or f.endswith("/") or "." not in f.rsplit("/", 1)[-1] for f in files
                         if f != "-" and "://" not in f)
    wide = (set(k.split("/")[0] for k in kinds) & _K8S_WIDE or "--all" in opts.longs or "A" in opts.shorts
            or "--all-namespaces" in opts.longs or "-l" in opts.values or "--selector" in opts.values
            or from_directory or "R" in opts.shorts or "--recursive" in opts.longs or "k" in opts.shorts
            or "--kustomize" in opts.longs)
    return [Hit(K8S_BULK if wide else K8S_DELETE, target)]


@checks("helm")
def check_helm(cmd: Cmd) -> List[Hit]:
    words = [a for a in cmd.args if not a.startswith("-")]
    if words[:1] in (["uninstall"], ["delete"], ["del"], ["un"]) and "--dry-run" not in cmd.args:
        return [Hit(HELM_UNINSTALL, " ".join(words[1:]) or None)]
    return []


@checks("terraform", "tofu", "terragrunt", "pulumi", "cdk", "cdktf", "serverless", "sls")
def check_iac(cmd: Cmd) -> List[Hit]:
    words = [a for a in cmd.args if not a.startswith("-")]
    flags = {a.lstrip("-").split("=")[0] for a in cmd.args if a.startswith("-")}
    if not words:
        return []
    if words[0] in ("destroy", "remove") or (words[0] in ("apply", "up", "deploy") and "destroy" in flags):
        return [Hit(IAC_DESTROY)]
    if words[:2] == ["stack", "rm"]:
        return [Hit(IAC_DESTROY)]
    if words[:2] == ["state", "rm"] or words[:2] == ["state", "delete"]:
        return [Hit(IAC_STATE)]
    if words[0] in ("apply", "up", "deploy") and flags & {"auto-approve", "yes", "y", "skip-preview", "force",
                                                            "require-approval"}:
        return [Hit(IAC_APPLY)]
    return []


@checks("aws", "gcloud", "gsutil", "az", "doctl", "s3cmd", "rclone", "azcopy")
def check_cloud(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    words = [a for a in args if not a.startswith("-")]
    flags = set(a.split("=")[0] for a in args if a.startswith("-"))
    dry_run = {"--dryrun", "--dry-run"} | ({"-n"} if cmd.name in ("rclone", "gsutil", "s3cmd") else set())
    if dry_run & flags:
        return []
    recursive = bool({"--recursive", "-r", "-R", "--force"} & flags) or any(
        f.startswith("-") and not f.startswith("--") and "r" in f for f in flags if cmd.name == "gsutil")
    deleting = [w for w in words if w in ("rm", "rb", "delete", "purge", "deletefile", "remove")
                or w.startswith(("delete-", "terminate-", "delete_")) or w.endswith("-delete")]
    if cmd.name == "aws" and words[:2] == ["s3", "sync"] and "--delete" in flags:
        return [Hit(CLOUD_DELETE, "objects missing from the source")]
    if cmd.name in ("rclone",) and words[:1] in (["purge"], ["delete"], ["sync"]):
        return [Hit(CLOUD_BULK if words[0] != "sync" else CLOUD_DELETE, " ".join(words[1:]) or None)]
    if not deleting:
        return []
    target = " ".join(w for w in words if w not in deleting) or None
    # The words up to the verb name what is deleted (gcloud projects delete, aws rds delete-db-instance).
    path = words[:words.index(deleting[0]) + 1]
    if recursive or "rb" in deleting or "delete-batch" in deleting or any(
            part in w for w in path for part in _CLOUD_WIDE_WORDS):
        return [Hit(CLOUD_BULK, target)]
    return [Hit(CLOUD_DELETE, target)]
