"""Parsed config files kept between runs: served only while the file is unchanged, never holding a secret."""
from __future__ import annotations

import ast
import datetime
import marshal
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cmdai import config, config_cache
from cmdai.config import load_config, read_toml
from cmdai.errors import ConfigError

SECRET = "sk-test-0123456789abcdef"
STRICT = '[safety]\nlevel = "strict"\n'
#: As long as STRICT, so that an edit leaves the size as it was.
MODERATE = '[safety]\nlevel="moderate"\n'
AZURE = ('[backend]\ntype = "azure-foundry"\nendpoint = "https://a.openai.azure.com/openai/v1"\nmodel = "m"\n'
         '[[backend.azure.failover]]\nendpoint = "https://b.openai.azure.com/openai/v1"\n')


@pytest.fixture
def parses(monkeypatch):
    """The paths config.read_toml parsed, in order (a file served from the store is not in it)."""
    seen = []

    def counting(path):
        seen.append(path)
        return read_toml(path)

    monkeypatch.setattr(config, "read_toml", counting)
    return seen


@pytest.fixture
def clock(monkeypatch):
    """clock(seconds): the store's clock reads now + ``seconds``; set to a minute ahead, past every racy window."""
    def move(seconds: float = 60) -> None:
        now = time.time_ns() + int(seconds * 1e9)
        monkeypatch.setattr(config_cache, "time_ns", lambda: now)

    move()
    return move


def store() -> Path:
    return Path(config_cache.store_path())


def stored() -> dict:
    return marshal.loads(store().read_bytes())[1] if store().exists() else {}


def test_an_unchanged_file_is_parsed_once(user_config, write_file, parses, clock):
    write_file(user_config, STRICT)

    assert load_config().safety.level == "strict"
    assert load_config().safety.level == "strict"
    assert parses == [str(user_config)]
    assert stored()[str(user_config)][1] == {"safety": {"level": "strict"}}


def test_site_and_user_files_share_the_store_and_the_policy_still_applies(site_config, user_config, write_file,
                                                                           parses, clock):
    write_file(site_config, '[policy]\nminimum_safety_level = "moderate"\n')
    write_file(user_config, '[safety]\nlevel = "permissive"\n')

    first, second = load_config(), load_config()

    assert first.safety.level == second.safety.level == "moderate"
    assert second.sources["safety.level"] == f"{site_config} [policy]"
    assert second.warnings == first.warnings and second.warnings
    assert second.files == [str(site_config), str(user_config)]
    assert parses == [str(site_config), str(user_config)]


def rewrite_keeping_times(path: Path, text: str) -> None:
    """Rewrite ``path`` in place, then put its modification time back as it was."""
    before = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("change", ["longer", "same size and modification time", "replaced by another inode",
                                    "touched"])
def test_every_change_of_the_file_is_seen(user_config, write_file, parses, clock, change):
    write_file(user_config, STRICT)
    assert load_config().safety.level == "strict"
    before = user_config.stat()

    if change == "longer":
        write_file(user_config, '[safety]\nlevel = "permissive"\n')
    elif change == "same size and modification time":
        rewrite_keeping_times(user_config, MODERATE)  # only the change time tells
    elif change == "replaced by another inode":
        other = write_file(user_config.with_name("new.toml"), MODERATE)
        os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(other, user_config)
    else:
        os.utime(user_config, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    assert user_config.stat().st_size == before.st_size or change == "longer"
    clock()

    expected = {"longer": "permissive", "touched": "strict"}.get(change, "moderate")
    assert load_config().safety.level == expected
    assert load_config().safety.level == expected
    assert parses == [str(user_config)] * 2


def test_a_file_changed_within_the_racy_window_is_not_kept(user_config, write_file, parses, clock):
    # An edit of the same size within the same timestamp tick would keep the stamp: until the
    # window has passed, the file is parsed on every run.
    write_file(user_config, STRICT)
    clock(config_cache.RACY_SECONDS - 1)
    load_config()
    load_config()
    assert parses == [str(user_config)] * 2
    assert not store().exists()

    clock(config_cache.RACY_SECONDS + 1)
    load_config()
    load_config()
    assert parses == [str(user_config)] * 3
    assert str(user_config) in stored()


def test_a_file_changed_just_now_with_an_old_modification_time_is_not_kept(user_config, write_file, parses, clock):
    write_file(user_config, STRICT)
    old = time.time_ns() - 3600 * 10**9
    os.utime(user_config, ns=(old, old))  # as cp -p, tar or rsync -t leave it; its change time is now
    clock(config_cache.RACY_SECONDS - 1)

    load_config()
    load_config()

    assert parses == [str(user_config)] * 2
    assert not store().exists()


def test_a_file_dated_in_the_future_is_not_kept(user_config, write_file, parses, clock):
    write_file(user_config, STRICT)
    future = time.time_ns() + 3600 * 10**9
    os.utime(user_config, ns=(future, future))

    load_config()
    load_config()

    assert parses == [str(user_config)] * 2
    assert not store().exists()


@pytest.mark.parametrize("text", [
    f'[backend]\ntype = "openai-compatible"\n[backend.openai_compatible]\nbase_url = "http://127.0.0.1:8000"\n'
    f'api_key = "{SECRET}"\n',
    f'{AZURE}api_key = "{SECRET}"\n',  # in a failover table
])
def test_a_file_holding_a_secret_is_never_kept(user_config, write_file, parses, clock, text):
    write_file(user_config, text)

    load_config()
    load_config()

    assert parses == [str(user_config)] * 2
    for folder, _, names in os.walk(os.environ["XDG_CACHE_HOME"]):
        for name in names:
            assert SECRET.encode() not in Path(folder, name).read_bytes(), name
    assert str(user_config) not in stored()


def test_only_the_file_with_the_secret_is_left_out(site_config, user_config, write_file, parses, clock):
    write_file(site_config, f'[backend]\ntype = "ollama"\n[backend.ollama]\napi_key = "{SECRET}"\n')
    write_file(user_config, STRICT)

    load_config()
    load_config()

    assert parses == [str(site_config), str(user_config), str(site_config)]
    assert list(stored()) == [str(user_config)]
    assert SECRET.encode() not in store().read_bytes()


def test_a_secret_from_the_environment_does_not_keep_the_file_out(user_config, write_file, parses, clock):
    write_file(user_config, AZURE)
    environ = {"CMDAI_AZURE_FOUNDRY_API_KEY": SECRET}

    load_config(environ=environ)
    assert load_config(environ=environ).settings_of("azure-foundry").api_key == SECRET

    assert parses == [str(user_config)]
    assert SECRET.encode() not in store().read_bytes()


def test_the_store_is_private(user_config, write_file, clock):
    write_file(user_config, STRICT)
    load_config()

    cache = Path(os.environ["XDG_CACHE_HOME"])
    for folder in (cache, cache / "cmdai"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(store().stat().st_mode) == 0o600


def test_a_store_others_could_write_is_ignored_and_replaced(user_config, write_file, parses, clock):
    write_file(user_config, STRICT)
    load_config()
    entries = stored()
    stamp = entries[str(user_config)][0]
    # Written by someone else, it could lower the safety level: a stamp that fits is not enough.
    store().write_bytes(marshal.dumps((config_cache._identity(), {str(user_config): (stamp, {})})))
    store().chmod(0o664)

    assert load_config().safety.level == "strict"
    assert parses == [str(user_config)] * 2
    assert stat.S_IMODE(store().stat().st_mode) == 0o600
    assert stored() == entries


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_a_store_owned_by_another_user_is_ignored(user_config, write_file, parses, clock):
    write_file(user_config, STRICT)
    load_config()
    stamp = stored()[str(user_config)][0]
    store().write_bytes(marshal.dumps((config_cache._identity(), {str(user_config): (stamp, {})})))
    os.chown(store(), 65534, 65534)

    assert load_config().safety.level == "strict"
    assert parses == [str(user_config)] * 2


def damaged_stores(path: str, stamp: tuple) -> list:
    identity = config_cache._identity()
    return [b"", b"\x00garbage", marshal.dumps("only one"), marshal.dumps((identity,)),
            marshal.dumps(((config_cache.FORMAT, "0.0.0-other", identity[2]), {path: (stamp, {})})),
            marshal.dumps(((config_cache.FORMAT + 1,) + identity[1:], {path: (stamp, {})})),
            marshal.dumps((identity, "not a table")), marshal.dumps((identity, {path: "x"})),
            marshal.dumps((identity, {path: (stamp,)})), marshal.dumps((identity, {path: (stamp, ["x"])})),
            marshal.dumps((identity, {path: (stamp[:-1] + (stamp[-1] - 1,), {})})),
            marshal.dumps((identity, {path: (stamp, {})}))[:-3]]


def test_a_corrupt_foreign_or_stale_store_is_ignored_and_rewritten(user_config, write_file, parses, clock):
    write_file(user_config, STRICT)
    load_config()
    good = stored()
    for number, damage in enumerate(damaged_stores(str(user_config), good[str(user_config)][0]), 2):
        store().write_bytes(damage)
        assert load_config().safety.level == "strict", damage
        assert len(parses) == number, damage
        assert stored() == good


def test_a_store_that_cannot_be_written_costs_only_speed(user_config, write_file, parses, clock, monkeypatch,
                                                          tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    write_file(user_config, STRICT)

    assert load_config().safety.level == "strict"
    assert load_config().safety.level == "strict"
    assert parses == [str(user_config)] * 2


def test_invalid_toml_is_reported_with_its_line_and_never_kept(user_config, write_file, clock):
    write_file(user_config, STRICT)
    load_config()
    write_file(user_config, '[safety]\nlevel = "strict\n')
    clock()

    with pytest.raises(ConfigError) as raised:
        load_config()
    with pytest.raises(ConfigError) as direct:
        read_toml(str(user_config))
    assert raised.value.message == direct.value.message
    assert "line 2" in raised.value.message
    with pytest.raises(ConfigError, match="line 2"):
        load_config()
    assert stored()[str(user_config)][1] == {"safety": {"level": "strict"}}  # the old entry, whose stamp is gone


def test_a_file_with_an_unknown_key_is_not_kept(user_config, write_file, clock):
    write_file(user_config, '[safety]\nlevle = "strict"\n')

    for _ in range(2):
        with pytest.raises(ConfigError, match="unknown key 'safety.levle'"):
            load_config()
    assert not store().exists()


def test_tables_marshal_cannot_hold_are_not_kept(tmp_path, clock):
    dated, plain = tmp_path / "dated.toml", tmp_path / "plain.toml"
    dated.write_text("when = 1979-05-27\n")
    plain.write_text("n = 1\n")
    files = config_cache.ParsedFiles(read_toml, str(tmp_path / "store"))

    assert files.read(str(dated)) == {"when": datetime.date(1979, 5, 27)}
    assert files.read(str(plain)) == {"n": 1}
    files.save(holding_secrets=[])

    assert list(marshal.loads((tmp_path / "store").read_bytes())[1]) == [str(plain)]


def test_a_file_that_is_not_regular_is_not_kept(parses, clock):
    assert load_config(os.devnull).files == [os.devnull]
    load_config(os.devnull)

    assert parses == [os.devnull] * 2
    assert not store().exists()


def test_the_store_keeps_the_newest_files(tmp_path, clock):
    files = [tmp_path / f"{number}.toml" for number in range(config_cache.MAX_FILES + 2)]
    for path in files:
        path.write_text(STRICT)
        load_config(str(path))

    assert list(stored()) == [str(path) for path in files[-config_cache.MAX_FILES:]]


MODULES = ("config", "config_cache", "settings", "paths", "disk_store")


@pytest.mark.parametrize("name", MODULES)
def test_the_config_modules_import_no_typing_pathlib_or_toml_parser_when_loaded(name):
    # Imports under "if TYPE_CHECKING:" and inside functions do not run when the module loads.
    tree = ast.parse(Path(config.__file__).with_name(f"{name}.py").read_text(encoding="utf-8"))
    loaded = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            loaded += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            loaded.append(node.module or "")
    assert not {"typing", "pathlib", "tomllib", "tomli"} & set(loaded)


def test_the_ground_floor_config_modules_import_no_typing_or_pathlib():
    # errors.py may bring typing; everything after it must not need it.
    code = ("import sys, cmdai.errors, cmdai.records\n"
            "sys.modules.update(typing=None, pathlib=None, tomllib=None)\n"
            "import cmdai.settings, cmdai.paths, cmdai.disk_store, cmdai.config_cache\n"
            "cmdai.config_cache.ParsedFiles(lambda path: {}).read(cmdai.paths.user_config_file())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def importers(stderr: str) -> dict:
    """Module -> the module that imported it, from ``python -X importtime`` (children come before their parent)."""
    rows = [line.split("|")[-1] for line in stderr.splitlines() if line.startswith("import time:")][1:]
    found = {}
    for index, row in enumerate(rows):
        depth = len(row) - len(row.lstrip())
        parent = next((other.strip() for other in rows[index + 1:] if len(other) - len(other.lstrip()) < depth), None)
        found[row.strip()] = parent
    return found


def test_a_warm_run_with_a_config_file_does_not_parse_toml(user_config, write_file, isolated_env):
    write_file(user_config, '[backend]\ntype = "embedded"\n\n[safety]\nlevel = "moderate"\n')
    time.sleep(max(0.0, config_cache.RACY_SECONDS + 0.2 - (time.time() - user_config.stat().st_ctime)))
    env = {key: value for key, value in os.environ.items() if not key.startswith("COVERAGE_")}
    command = [sys.executable, "-X", "importtime", "-m", "cmdai", "-s", "bash", "list all python files"]

    cold = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    warm = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)

    assert cold.stdout == warm.stdout == "find . -name '*.py'\n", warm.stderr
    assert "tomllib" in importers(cold.stderr)
    imported = importers(warm.stderr)
    assert "cmdai.config" in imported and "tomllib" not in imported
    ours = {f"cmdai.{name}" for name in MODULES}
    assert not {module for module in ("typing", "pathlib") if imported.get(module) in ours}
    assert str(user_config) in stored()
