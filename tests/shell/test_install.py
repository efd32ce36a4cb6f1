"""install.sh in a throw-away home: pipx, uv or a private venv; marked rc lines; --uninstall."""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Dict, List

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "install.sh"
MARKER = "# cmdai shell integration (added by install.sh)"
SHELLS = [s for s in ("zsh", "bash", "fish") if shutil.which(s)]

# A stand-in for pipx or uv: logs its arguments and "installs" by linking the real cmdai, so the
# rc lines it leads to can be tried in real shells.
FAKE_TOOL = """#!/bin/sh
echo "$0 $*" >> "$HOME/tool.log"
bin="${{{bin_var}:-$HOME/.local/bin}}"
case "$*" in
  *uninstall*) rm -f "$bin/cmdai" ;;
  *install*) mkdir -p "$bin" && ln -sf '{cmdai}' "$bin/cmdai" ;;
esac
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("alias ll='ls -l'\n", encoding="utf-8")
    return home


def fake_tool(tmp_path: Path, name: str) -> Path:
    """A directory holding only the fake ``name`` (pipx or uv)."""
    tools = tmp_path / f"tools-{name}"
    tools.mkdir()
    cmdai = shutil.which("cmdai")
    assert cmdai, "the cmdai console script must be installed for these tests"
    bin_var = "PIPX_BIN_DIR" if name == "pipx" else "UV_TOOL_BIN_DIR"
    script = tools / name
    script.write_text(FAKE_TOOL.format(bin_var=bin_var, cmdai=os.path.realpath(cmdai)), encoding="utf-8")
    script.chmod(0o755)
    return tools


def run_install(home: Path, *args: str, path: List[Path] = (), env: Dict[str, str] = None,
                timeout: float = 60) -> subprocess.CompletedProcess:
    # The shells and coreutils, and nothing of this machine's pipx, uv or Python environment.
    search = [str(p) for p in path] + ["/usr/bin", "/bin"]
    full_env = {"HOME": str(home), "PATH": os.pathsep.join(search), "LANG": "C.UTF-8"}
    full_env.update(env or {})
    # start_new_session: no controlling terminal, as under CI; --yes is then the only consent.
    return subprocess.run(["sh", str(INSTALL), *args], capture_output=True, text=True, env=full_env,
                          stdin=subprocess.DEVNULL, timeout=timeout, start_new_session=True)


def rc_files(home: Path) -> Dict[str, Path]:
    return {"zsh": home / ".zshrc", "bash": home / ".bashrc", "fish": home / ".config" / "fish" / "config.fish"}


def marked_lines(path: Path) -> List[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if MARKER in line]


def test_pipx_install_adds_one_marked_line_per_shell_even_when_run_twice(home, tmp_path):
    tools = fake_tool(tmp_path, "pipx")
    for _ in range(2):
        result = run_install(home, "--yes", "--source", str(REPO), path=[tools])
        assert result.returncode == 0, result.stderr

    assert (home / "tool.log").read_text().splitlines() == [f"{tools}/pipx install --force {REPO}"] * 2
    for shell in SHELLS:
        [line] = marked_lines(rc_files(home)[shell])
        assert str(home / ".local" / "bin" / "cmdai") in line and f"--init {shell}" in line
    assert (home / ".bashrc").read_text().startswith("alias ll='ls -l'\n")


@pytest.mark.parametrize("shell", ["zsh", "bash"])
def test_the_added_line_loads_the_widget(shell, home, tmp_path):
    if shell not in SHELLS:
        pytest.skip(f"{shell} is not installed")
    tools = fake_tool(tmp_path, "pipx")
    assert run_install(home, "--yes", path=[tools]).returncode == 0

    probe = {"zsh": "bindkey '^G'", "bash": "declare -F __cmdai_widget"}[shell]
    result = subprocess.run([shell, "-i", "-c", probe], capture_output=True, text=True, timeout=30,
                            env={"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"},
                            stdin=subprocess.DEVNULL, start_new_session=True)
    assert "_cmdai_widget" in result.stdout, result.stderr


def test_without_consent_no_rc_file_changes_and_the_lines_are_shown(home, tmp_path):
    tools = fake_tool(tmp_path, "pipx")
    result = run_install(home, path=[tools])

    assert result.returncode == 0, result.stderr
    assert (home / ".bashrc").read_text() == "alias ll='ls -l'\n"
    assert not (home / ".zshrc").exists()
    assert "--init bash" in result.stdout


def test_uv_is_used_when_pipx_is_missing(home, tmp_path):
    tools = fake_tool(tmp_path, "uv")
    bin_dir = tmp_path / "uv-bin"
    result = run_install(home, "--no-shell", path=[tools], env={"UV_TOOL_BIN_DIR": str(bin_dir)})

    assert result.returncode == 0, result.stderr
    assert (home / "tool.log").read_text().split()[1:] == ["tool", "install", "--force", "cmdai"]
    assert (bin_dir / "cmdai").exists()
    assert not marked_lines(home / ".bashrc")


def test_uninstall_removes_the_lines_and_the_package_and_keeps_the_rest(home, tmp_path):
    tools = fake_tool(tmp_path, "pipx")
    assert run_install(home, "--yes", path=[tools]).returncode == 0

    refused = run_install(home, "--uninstall", path=[tools])
    assert refused.returncode != 0
    assert marked_lines(home / ".bashrc")

    result = run_install(home, "--uninstall", "--yes", path=[tools])
    assert result.returncode == 0, result.stderr
    assert (home / ".bashrc").read_text() == "alias ll='ls -l'\n"
    for path in rc_files(home).values():
        assert not marked_lines(path)
    assert (home / "tool.log").read_text().splitlines()[-1] == f"{tools}/pipx uninstall cmdai"
    assert not (home / ".local" / "bin" / "cmdai").exists()


def probe_wheel(directory: Path) -> Path:
    """A minimal wheel named cmdai whose console script prints its arguments (pip needs no index)."""
    wheel = directory / "cmdai-0.0.1-py3-none-any.whl"
    files = {
        "cmdai_probe.py": "def main():\n    import sys\n    print('probe', *sys.argv[1:])\n",
        "cmdai-0.0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: cmdai\nVersion: 0.0.1\n",
        "cmdai-0.0.1.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "cmdai-0.0.1.dist-info/entry_points.txt": "[console_scripts]\ncmdai = cmdai_probe:main\n",
    }
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr("cmdai-0.0.1.dist-info/RECORD",
                         "".join(f"{name},,\n" for name in files) + "cmdai-0.0.1.dist-info/RECORD,,\n")
    return wheel


def test_without_pipx_or_uv_a_private_venv_is_linked_into_local_bin(home, tmp_path):
    if shutil.which("python3", path="/usr/bin:/bin") is None:
        pytest.skip("no system python3 to create the virtual environment")
    wheel = probe_wheel(tmp_path)
    offline = {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for _ in range(2):
        result = run_install(home, "--no-shell", "--source", str(wheel), env=offline, timeout=120)
        assert result.returncode == 0, result.stderr

    link = home / ".local" / "bin" / "cmdai"
    venv = home / ".local" / "share" / "cmdai" / "venv"
    assert link.is_symlink() and Path(os.readlink(link)) == venv / "bin" / "cmdai"
    assert subprocess.run([str(link), "--version"], capture_output=True, text=True).stdout == "probe --version\n"

    result = run_install(home, "--uninstall", "--yes")
    assert result.returncode == 0, result.stderr
    assert not link.exists() and not venv.exists()
