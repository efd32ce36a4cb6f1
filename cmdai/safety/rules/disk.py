"""Raw writes, formats, wipes and repartitions of block devices; filling the disk."""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ..levels import Risk
from .base import Cmd, Hit, Redirect, checks, on_redirect, rule
from .filesystem import writes
from .paths import is_block_device

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List

DISK = "disk and device writes"

WRITE_DEVICE = rule("disk.write-device", Risk.CRITICAL, DISK,
                    "writes raw data over the block device {target}, destroying what is on it")
FORMAT = rule("disk.format", Risk.CRITICAL, DISK, "formats {target}, erasing every file on it")
WIPE = rule("disk.wipe", Risk.CRITICAL, DISK, "wipes {target}")
PARTITION = rule("disk.partition", Risk.CRITICAL, DISK, "changes the partition table of {target}")
VOLUME = rule("disk.volume-remove", Risk.HIGH, DISK, "removes the storage volume or pool {target} and its data")
FORMAT_IMAGE = rule("disk.format-image", Risk.MODERATE, DISK, "formats the image file {target}")
FILL = rule("disk.fill", Risk.HIGH, DISK, "writes endless data to {target} until the disk is full")
FILL_SIZE = rule("disk.fill-size", Risk.HIGH, DISK, "makes {target}, which can fill the disk")

#: A file this large is no test file: it can fill the disk.
_FILLING_BYTES = 100 * 1024 ** 3
_SIZE = lazy_regex(r"(\d+(?:\.\d+)?)\s*([kmgtpe]?)(?:i?b)?", re.IGNORECASE)


def _bytes(text: str) -> float:
    """``text`` ("1000G", "1.5TiB", "512") in bytes; 0 when it is no size."""
    found = _SIZE.fullmatch(text.strip())
    if found is None:
        return 0
    return float(found.group(1)) * 1024 ** " kmgtpe".index(found.group(2).lower() or " ")


def _sized(target: str, size: float) -> str:
    return f"{target} ({size / 1024 ** 3:,.0f} GiB)"

_DEVICE_ONLY_READS = {"-l", "--list", "-s", "--getsz", "print", "--print", "-p", "--dump", "-d"}


@checks("dd")
def check_dd(cmd: Cmd) -> List[Hit]:
    params = dict(a.split("=", 1) for a in cmd.args if "=" in a)
    target = params.get("of")
    if target is None:
        return []
    if is_block_device(target):
        return [Hit(WRITE_DEVICE, target)]
    source = params.get("if", "")
    if source in ("/dev/zero", "/dev/urandom", "/dev/random") and "count" not in params:
        return [Hit(FILL, target)]
    size = _bytes(params.get("bs", "512")) * _bytes(params.get("count", "0"))
    if size >= _FILLING_BYTES:
        return [Hit(FILL_SIZE, _sized(target, size))]
    return writes(target, None, append=False)


@checks("fallocate")
def check_fallocate(cmd: Cmd) -> List[Hit]:
    opts = cmd.options(("-l", "--length", "-o", "--offset"))
    size = sum(_bytes(value) for value in opts.values.get("-l", []) + opts.values.get("--length", []))
    if size >= _FILLING_BYTES:
        return [Hit(FILL_SIZE, _sized(" ".join(opts.operands), size))]
    return []


@checks("mkfs", "mke2fs", "mkswap", "mkdosfs", "mkntfs", "newfs", "newfs_msdos")
def check_mkfs(cmd: Cmd) -> List[Hit]:
    operands = [a for a in cmd.args if not a.startswith("-")]
    devices = [a for a in operands if is_block_device(a)]
    if devices:
        return [Hit(FORMAT, d) for d in devices]
    # mkfs.ext4 -L label ./disk.img: the last operand is the target.
    return [Hit(FORMAT_IMAGE, operands[-1])] if operands else []


@checks("wipefs", "blkdiscard", "sgdisk", "sfdisk", "fdisk", "gdisk", "cfdisk", "parted",
        "hdparm", "diskutil", "mdadm", "cryptsetup", "badblocks")
def check_device_tools(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    if set(args) & _DEVICE_ONLY_READS and cmd.name in ("fdisk", "sfdisk", "parted", "gdisk"):
        if not (cmd.name == "parted" and set(args) & {"rm", "mklabel", "mkpart", "resizepart"}):
            return []
    if cmd.name == "wipefs" and ({"-n", "--no-act"} & set(args) or not {"-a", "--all", "-o", "--offset"} & set(args)
                                 and not any(re.fullmatch(r"-[a-z]*a[a-z]*", a) for a in args)):
        return []
    if cmd.name == "hdparm" and not any("security-erase" in a or a == "--trim-sector-ranges" for a in args):
        return []
    if cmd.name == "mdadm" and not {"--zero-superblock", "--create", "-C"} & set(args):
        return []
    if cmd.name == "cryptsetup" and not {"luksFormat", "luksErase", "erase", "reencrypt"} & set(args):
        return []
    if cmd.name == "badblocks" and not {"-w"} & set(args):
        return []
    if cmd.name == "diskutil":
        verbs = {"eraseDisk", "eraseVolume", "zeroDisk", "randomDisk", "secureErase", "partitionDisk",
                 "reformat", "apfs"}
        if not verbs & set(args):
            return []
        return [Hit(WIPE, next((a for a in args if a.startswith("disk") or a.startswith("/dev/")), "a disk"))]
    devices = [a for a in args if is_block_device(a)]
    chosen = PARTITION if cmd.name in ("sgdisk", "sfdisk", "fdisk", "gdisk", "cfdisk", "parted") else WIPE
    return [Hit(chosen, d) for d in devices]


#: Subcommands that make a device part of a pool or a volume group, writing over what is on it.
#: The words that start a command making its devices part of a pool or a volume group.
_CLAIMS_DEVICES = {"zpool": (("create",), ("add",), ("attach",), ("replace",), ("labelclear",)),
                   "btrfs": (("device", "add"),), "pvcreate": ((),), "vgcreate": ((),), "vgextend": ((),)}


@checks(*_CLAIMS_DEVICES)
def check_device_claims(cmd: Cmd) -> List[Hit]:
    """zpool create or add, pvcreate, vgcreate, vgextend, btrfs device add: the devices given are
    formatted for the pool, erasing what they held."""
    words = [a for a in cmd.args if not a.startswith("-")]
    if not any(tuple(words[:len(start)]) == start for start in _CLAIMS_DEVICES[cmd.name]):
        return []
    return [Hit(FORMAT, device) for device in words if is_block_device(device)]


@checks("lvremove", "vgremove", "pvremove", "zpool", "zfs", "btrfs")
def check_volumes(cmd: Cmd) -> List[Hit]:
    if cmd.name in ("zpool", "zfs") and (not cmd.args or cmd.args[0] != "destroy"):
        return []
    if cmd.name == "btrfs" and not ({"delete", "remove"} & set(cmd.args[:3])):
        return []
    operands = [a for a in cmd.args if not a.startswith("-") and a not in ("destroy", "subvolume", "device",
                                                                           "delete", "remove")]
    return [Hit(VOLUME, operands[0] if operands else cmd.name)]


@checks("shred", "wipe", "cp", "tee")
def check_device_targets(cmd: Cmd) -> List[Hit]:
    """Commands that overwrite a device they are given as an operand."""
    operands = [a for a in cmd.args if not a.startswith("-")]
    if cmd.name == "cp":
        operands = operands[-1:]
    return [Hit(WRITE_DEVICE, d) for d in operands if is_block_device(d)]


@on_redirect
def check_device_redirect(out: Redirect) -> List[Hit]:
    """Output onto a block device destroys it; endless output into a file fills the disk."""
    hits = [Hit(WRITE_DEVICE, out.path)] if is_block_device(out.path) else []
    if out.stream.endless and not out.path.startswith("/dev/"):
        hits.append(Hit(FILL, out.path))
    return hits
