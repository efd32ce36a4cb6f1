"""install.sh in a throw-away home, with only the installers each test chooses on PATH.

pipx and uv are stand-ins that log their arguments; the private-venv path installs a real (tiny)
wheel with pip, offline. Round trips compare the whole home directory, bytes and modes, before
the install and after --uninstall.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "install.sh"
MARKER = "# cmdai shell integration (added by install.sh)"
SHELLS = [s for s in ("zsh", "bash", "fish") if shutil.which(s)]
#: What install.sh and the rc-file probes run, besides the installers under test.
TOOLS = ("sh", "cat", "cp", "mv", "rm", "rmdir", "mkdir", "ln", "grep", "sed", "head", "tail", "wc",
         "dirname", "id", "uname", "readlink", "env", "ls", "tr", *SHELLS)
SYSTEM_PATH = "/usr/bin:/bin:/usr/local/bin"

# A stand-in for pipx or uv: logs its arguments and "installs" by linking the real cmdai.
FAKE_TOOL = """#!/bin/sh
echo "{name} $*" >> '{log}'
[ -z "${{FAKE_FAIL:-}}" ] || {{ echo "{name}: failing as asked" >&2; exit 1; }}
bin="${{{bin_var}:-$HOME/.local/bin}}"
case "$*" in
  *uninstall*) rm -f "$bin/cmdai" ;;
  *install*) mkdir -p "$bin" && ln -sf '{cmdai}' "$bin/cmdai" ;;
esac
"""


def real_cmdai() -> str:
    """The console script of the cmdai under test (beside this Python), else the one on PATH."""
    beside = Path(sys.executable).with_name("cmdai")
    found = str(beside) if beside.exists() else shutil.which("cmdai")
    assert found, "the cmdai console script must be installed for these tests"
    return os.path.realpath(found)


def system_python() -> Optional[str]:
    """A Python that is not this test environment's venv, to create the private venv with."""
    return shutil.which("python3", path=SYSTEM_PATH)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("alias ll='ls -l'\n", encoding="utf-8")
    return home


@pytest.fixture
def sandbox(tmp_path: Path) -> "Sandbox":
    return Sandbox(tmp_path)


class Sandbox:
    """A PATH holding the basic tools, the shells and only the installers a test adds."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.bin = tmp_path / "sandbox-bin"
        self.bin.mkdir()
        self.log = tmp_path / "tools.log"
        for tool in TOOLS:
            found = shutil.which(tool, path=SYSTEM_PATH)
            if found:
                (self.bin / tool).symlink_to(found)

    def add_python(self, python: Optional[str] = None) -> None:
        python = python or system_python()
        if python is None:
            pytest.skip("no system python3 to create the virtual environment")
        (self.bin / "python3").symlink_to(python)

    def add_fake(self, name: str) -> None:
        bin_var = "PIPX_BIN_DIR" if name == "pipx" else "UV_TOOL_BIN_DIR"
        script = self.bin / name
        script.write_text(FAKE_TOOL.format(name=name, log=self.log, bin_var=bin_var, cmdai=real_cmdai()),
                          encoding="utf-8")
        script.chmod(0o755)

    def logged(self) -> List[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def run(self, home: Path, *args: str, env: Optional[Dict[str, str]] = None, script: Path = INSTALL,
            extra_path: Sequence[Path] = (), timeout: float = 120) -> subprocess.CompletedProcess:
        search = [str(p) for p in extra_path] + [str(self.bin)]
        full_env = {"HOME": str(home), "PATH": os.pathsep.join(search), "LANG": "C.UTF-8",
                    "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        full_env.update(env or {})
        # start_new_session: no controlling terminal, as under CI; --yes is then the only consent.
        return subprocess.run([str(self.bin / "sh"), str(script), *args], capture_output=True, text=True,
                              env=full_env, stdin=subprocess.DEVNULL, timeout=timeout, start_new_session=True)


def rc_files(home: Path) -> Dict[str, Path]:
    return {"zsh": home / ".zshrc", "bash": home / ".bashrc", "fish": home / ".config" / "fish" / "config.fish"}


def marked_lines(path: Path) -> List[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if MARKER in line]


def snapshot(root: Path) -> Dict[str, Tuple[str, object, int]]:
    """Every path under ``root``: its kind, its bytes (or link target) and its mode."""
    found: Dict[str, Tuple[str, object, int]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = ("link", os.readlink(path), 0)
        elif path.is_dir():
            found[name] = ("dir", None, info.st_mode)
        else:
            found[name] = ("file", path.read_bytes(), info.st_mode)
    return found


def probe_wheel(directory: Path, *, broken: bool = False) -> Path:
    """A minimal wheel whose console script `cmdai` prints its arguments (pip needs no index).

    ``broken`` leaves out the metadata, so pip refuses it after the venv exists.
    """
    wheel = directory / "cmdai_shell-0.0.1-py3-none-any.whl"
    files = {
        "cmdai_probe.py": "def main():\n    import sys\n    print('probe', *sys.argv[1:])\n",
        "cmdai_shell-0.0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: cmdai-shell\nVersion: 0.0.1\n",
        "cmdai_shell-0.0.1.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "cmdai_shell-0.0.1.dist-info/entry_points.txt": "[console_scripts]\ncmdai = cmdai_probe:main\n",
    }
    if broken:
        del files["cmdai_shell-0.0.1.dist-info/METADATA"]
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr("cmdai_shell-0.0.1.dist-info/RECORD",
                         "".join(f"{name},,\n" for name in files) + "cmdai_shell-0.0.1.dist-info/RECORD,,\n")
    return wheel


def fails_without_a_trace(home: Path, sandbox: Sandbox, *args: str, says: str,
                          env: Optional[Dict[str, str]] = None) -> None:
    """Run install.sh expecting a failure that says ``says`` and leaves the home as it was."""
    before = snapshot(home)
    result = sandbox.run(home, *args, env=env)
    assert result.returncode != 0
    assert says in result.stderr
    assert snapshot(home) == before


# ------------------------------------------------------------------------------------ install


def test_pipx_installs_the_checkout_and_adds_one_marked_line_per_shell_even_when_run_twice(home, sandbox):
    sandbox.add_fake("pipx")
    for _ in range(2):
        result = sandbox.run(home, "--yes")
        assert result.returncode == 0, result.stderr

    assert sandbox.logged() == [f"pipx install --force {REPO}"] * 2
    for shell in SHELLS:
        [line] = marked_lines(rc_files(home)[shell])
        assert str(home / ".local" / "bin" / "cmdai") in line and f"--init {shell}" in line
    assert (home / ".bashrc").read_text().startswith("alias ll='ls -l'\n")


def test_piped_into_sh_it_installs_the_published_distribution(home, sandbox):
    sandbox.add_fake("pipx")
    env = {"HOME": str(home), "PATH": str(sandbox.bin), "LANG": "C.UTF-8"}
    with open(INSTALL, encoding="utf-8") as script:
        result = subprocess.run([str(sandbox.bin / "sh"), "-s", "--", "--no-shell"], stdin=script, env=env,
                                capture_output=True, text=True, timeout=60, start_new_session=True)

    assert result.returncode == 0, result.stderr
    assert sandbox.logged() == ["pipx install --force cmdai-shell"]


@pytest.mark.parametrize("shell", ["zsh", "bash"])
def test_the_added_line_loads_the_widget(shell, home, sandbox):
    if shell not in SHELLS:
        pytest.skip(f"{shell} is not installed")
    sandbox.add_fake("pipx")
    assert sandbox.run(home, "--yes").returncode == 0

    probe = {"zsh": "bindkey '^G'", "bash": "declare -F __cmdai_widget"}[shell]
    result = subprocess.run([shell, "-i", "-c", probe], capture_output=True, text=True, timeout=30,
                            env={"HOME": str(home), "PATH": str(sandbox.bin), "TERM": "dumb"},
                            stdin=subprocess.DEVNULL, start_new_session=True)
    assert "_cmdai_widget" in result.stdout, result.stderr


def test_without_consent_no_rc_file_changes_and_the_lines_are_shown(home, sandbox):
    sandbox.add_fake("pipx")
    result = sandbox.run(home)

    assert result.returncode == 0, result.stderr
    assert (home / ".bashrc").read_text() == "alias ll='ls -l'\n"
    assert not (home / ".zshrc").exists()
    assert "--init bash" in result.stdout
    assert "no rc file was changed" in result.stdout


def test_the_end_names_the_changed_rc_files_and_how_to_undo(home, sandbox):
    sandbox.add_fake("pipx")
    result = sandbox.run(home, "--yes")

    assert result.returncode == 0, result.stderr
    [changed] = [line for line in result.stdout.splitlines() if "changed:" in line]
    assert "~/.bashrc" in changed and "(created)" not in changed.split("~/.bashrc")[1].split("~")[0]
    if "zsh" in SHELLS:
        assert "~/.zshrc (created)" in changed
    assert result.stdout.rstrip().splitlines()[-1].endswith(
        "to undo everything: sh ~/.local/share/cmdai/install.sh --uninstall")


def test_uv_is_used_when_pipx_is_missing(home, sandbox, tmp_path):
    sandbox.add_fake("uv")
    bin_dir = tmp_path / "uv-bin"
    result = sandbox.run(home, "--no-shell", env={"UV_TOOL_BIN_DIR": str(bin_dir)})

    assert result.returncode == 0, result.stderr
    assert sandbox.logged() == [f"uv tool install --force {REPO}"]
    assert (bin_dir / "cmdai").exists()
    assert not marked_lines(home / ".bashrc")


@pytest.mark.parametrize("on_path", [False, True])
def test_a_bin_directory_missing_from_path_is_named_with_the_line_to_add(on_path, home, sandbox):
    sandbox.add_fake("pipx")
    local_bin = home / ".local" / "bin"
    result = sandbox.run(home, "--no-shell", extra_path=[local_bin] if on_path else [])

    assert result.returncode == 0, result.stderr
    advice = [f'export PATH="$HOME/.local/bin:$PATH"', "fish_add_path ~/.local/bin",
              f"run it as {local_bin}/cmdai"]
    for text in advice:
        assert (text in result.stdout) is not on_path, result.stdout


def test_without_pipx_or_uv_a_private_venv_is_linked_into_local_bin(home, sandbox, tmp_path):
    sandbox.add_python()
    wheel = probe_wheel(tmp_path)
    for _ in range(2):
        result = sandbox.run(home, "--no-shell", "--source", str(wheel))
        assert result.returncode == 0, result.stderr

    link = home / ".local" / "bin" / "cmdai"
    venv = home / ".local" / "share" / "cmdai" / "venv"
    assert link.is_symlink() and Path(os.readlink(link)) == venv / "bin" / "cmdai"
    assert subprocess.run([str(link), "--version"], capture_output=True, text=True).stdout == "probe --version\n"


# ----------------------------------------------------------------------------- failed install


def test_a_failed_venv_install_leaves_nothing_behind(home, sandbox, tmp_path):
    sandbox.add_python()
    fails_without_a_trace(home, sandbox, "--yes", "--source", str(probe_wheel(tmp_path, broken=True)),
                          says="nothing was left behind")


def test_a_failed_upgrade_keeps_the_working_installation(home, sandbox, tmp_path):
    sandbox.add_python()
    good = tmp_path / "good"
    good.mkdir()
    assert sandbox.run(home, "--no-shell", "--source", str(probe_wheel(good))).returncode == 0
    fails_without_a_trace(home, sandbox, "--no-shell", "--source", str(tmp_path / "missing.whl"),
                          says="pip could not install")


def test_without_python3_venv_it_says_which_package_to_install_and_leaves_nothing(home, sandbox, tmp_path):
    # Debian's python3 without python3-venv: `-m venv` fails after creating part of the directory.
    fake = tmp_path / "python3"
    fake.write_text('#!/bin/sh\ncase "$*" in *"-m venv"*) mkdir -p "$3/bin"; '
                    'echo "ensurepip is not available" >&2; exit 1 ;; esac\nexit 0\n', encoding="utf-8")
    fake.chmod(0o755)
    sandbox.add_python(str(fake))
    fails_without_a_trace(home, sandbox, "--yes", says="python3-venv")


def test_a_failed_pipx_install_leaves_nothing_behind(home, sandbox):
    sandbox.add_fake("pipx")
    fails_without_a_trace(home, sandbox, "--yes", env={"FAKE_FAIL": "1"}, says="pipx could not install")


# ---------------------------------------------------------------------------------- uninstall


@pytest.fixture
def lived_in_home(home: Path) -> Path:
    """A home whose .bashrc lacks a final newline, with no zsh or fish rc yet, and a config."""
    (home / ".bashrc").write_bytes(b"alias ll='ls -l'\nexport EDITOR=vi")
    (home / ".bashrc").chmod(0o640)
    (home / ".config" / "cmdai").mkdir(parents=True)
    (home / ".config" / "cmdai" / "config.toml").write_text('[safety]\nlevel = "strict"\n')
    (home / ".cache").mkdir()
    return home


@pytest.mark.parametrize("method", ["pipx", "uv", "venv"])
def test_uninstall_restores_the_home_byte_for_byte(method, lived_in_home, sandbox, tmp_path):
    home = lived_in_home
    env = {"PIPX_BIN_DIR": str(tmp_path / "tool-bin"), "UV_TOOL_BIN_DIR": str(tmp_path / "tool-bin")}
    args = ["--yes"]
    if method == "venv":
        sandbox.add_python()
        args += ["--source", str(probe_wheel(tmp_path))]
    else:
        sandbox.add_fake(method)
    before = snapshot(home)

    installed = sandbox.run(home, *args, env=env)
    assert installed.returncode == 0, installed.stderr
    assert (home / ".bashrc").read_bytes().startswith(b"alias ll='ls -l'\nexport EDITOR=vi\n")
    # cmdai was used: it left a cache.
    (home / ".cache" / "cmdai").mkdir()
    (home / ".cache" / "cmdai" / "models.json").write_text("{}")

    # The copy the summary names works after the clone is gone.
    result = sandbox.run(home, "--uninstall", "--yes", env=env,
                         script=home / ".local" / "share" / "cmdai" / "install.sh")
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before
    assert "config in ~/.config/cmdai is kept" in result.stdout
    if method != "venv":
        assert sandbox.logged()[-1] == f"{method} {'tool ' if method == 'uv' else ''}uninstall cmdai-shell"
        assert not (tmp_path / "tool-bin" / "cmdai").exists()


def test_uninstall_keeps_lines_added_after_ours(home, sandbox):
    sandbox.add_fake("pipx")
    assert sandbox.run(home, "--yes").returncode == 0
    with open(home / ".bashrc", "a", encoding="utf-8") as rc:
        rc.write("export LATER=1\n")

    assert sandbox.run(home, "--uninstall", "--yes").returncode == 0
    assert (home / ".bashrc").read_text() == "alias ll='ls -l'\nexport LATER=1\n"


def test_uninstall_asks_and_without_consent_changes_nothing(home, sandbox):
    sandbox.add_fake("pipx")
    assert sandbox.run(home, "--yes").returncode == 0
    fails_without_a_trace(home, sandbox, "--uninstall", says="nothing removed")


def test_uninstall_with_nothing_installed_says_so_and_claims_no_removal(home, sandbox):
    sandbox.add_fake("pipx")
    before = snapshot(home)

    result = sandbox.run(home, "--uninstall", "--yes")
    assert result.returncode == 0, result.stderr
    assert "nothing to remove" in result.stdout
    assert "removed" not in result.stdout.replace("nothing to remove", "")
    assert sandbox.logged() == []
    assert snapshot(home) == before
