"""Containers, Kubernetes, cloud CLIs and infrastructure as code: bulk and single deletes."""
from __future__ import annotations

from typing import List

from ..levels import Risk
from .base import Cmd, Hit, checks, rule

CLOUD = "containers, clusters and cloud"
H, M = Risk.HIGH, Risk.MODERATE

PRUNE = rule("container.prune", H, CLOUD, "deletes all unused containers, images, networks or volumes")
BULK_RM = rule("container.bulk-remove", H, CLOUD, "deletes every container or image the inner command lists")
RM_ONE = rule("container.remove", M, CLOUD, "deletes the container, image or volume {target}")
COMPOSE_VOLUMES = rule("container.compose-down-volumes", H, CLOUD, "stops the services and deletes their volumes")
COMPOSE_DOWN = rule("container.compose-down", M, CLOUD, "stops and removes the project's containers")
PRIVILEGED = rule("container.privileged", H, CLOUD, "runs a container with full access to the host")
K8S_BULK = rule("k8s.bulk-delete", H, CLOUD, "deletes {target} in the cluster, with everything it holds")
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


@checks("docker", "podman", "nerdctl")
def check_containers(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return []
    if "prune" in words[:2]:
        return [Hit(PRUNE)]
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
    if words[0] in ("run", "create") and ("--privileged" in args or any(
            a.startswith(("/:/", "-v=/:/")) or a in ("--pid=host", "--net=host:/") for a in args)):
        return [Hit(PRIVILEGED)]
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
                        "--cluster", "-o", "--output", "--field-selector", "--grace-period", "--timeout"))
    dry_run = opts.values.get("--dry-run")
    if "--dry-run" in opts.longs and (not dry_run or dry_run[-1] != "none"):
        return []
    words = opts.operands
    if not words:
        return []
    if words[0] == "drain":
        return [Hit(K8S_DRAIN, " ".join(words[1:]) or None)]
    if words[0] != "delete":
        return []
    kinds = words[1].lower().split(",") if len(words) > 1 else []
    target = " ".join(words[1:]) or opts.value("-f", "--filename") or "resources"
    wide = (set(k.split("/")[0] for k in kinds) & _K8S_WIDE or "--all" in opts.longs or "A" in opts.shorts
            or "--all-namespaces" in opts.longs or "-l" in opts.values or "--selector" in opts.values)
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
