"""The wheel, built offline from the project files alone, carries the shell scripts and runs from a clean venv."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
#: What a build needs; copying only these proves nothing else (a symlink, a test file) is relied on.
PROJECT_FILES = ("pyproject.toml", "setup.py", "README.md", "cmdai", "shell")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in PROJECT_FILES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                             "--no-index", "--quiet", "-w", str(out), str(source)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    [built] = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def clean_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with only the wheel installed; its dependencies come from this test environment."""
    venv = tmp_path_factory.mktemp("clean") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                             "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # A path line, not a site dir: this environment's own .pth files (the editable cmdai) stay unread.
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n", encoding="utf-8")
    return venv


def run_clean(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")
           and not k.startswith("COVERAGE_")}
    return subprocess.run([str(venv / "bin" / "cmdai"), *args], capture_output=True, text=True, cwd=cwd,
                          env=env, stdin=subprocess.DEVNULL, timeout=60)


def test_the_wheel_holds_the_package_and_the_shell_scripts(wheel):
    assert wheel.name.startswith("cmdai_shell-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for script in ("cmdai.zsh", "cmdai.bash", "cmdai.fish", "cmdai.plugin.zsh", "conf.d/cmdai.fish",
                   "completions/cmdai.zsh", "completions/cmdai.bash", "completions/cmdai.fish"):
        assert f"cmdai/shell/{script}" in names, script
    assert "cmdai/cli.py" in names and "cmdai/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "shell/", "bench/"))]
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Name: cmdai-shell\n" in metadata
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["cmdai"]
    assert f"cmdai = {declared}\n" in entry_points


def test_the_installed_wheel_runs_without_the_source_tree(clean_venv, tmp_path):
    where = subprocess.run([str(clean_venv / "bin" / "python"), "-c",
                            "import cmdai.shell, cmdai.cli; print(cmdai.shell.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.startswith(str(clean_venv)), where.stdout + where.stderr

    version = run_clean(clean_venv, "--version", cwd=tmp_path)
    assert version.returncode == 0 and str(clean_venv) in version.stdout, version.stderr

    answer = run_clean(clean_venv, "-s", "bash", "list all python files", cwd=tmp_path)
    assert answer.returncode == 0 and "find" in answer.stdout, answer.stderr


@pytest.mark.parametrize("shell", ["zsh", "bash", "fish"])
def test_the_installed_wheel_prints_its_shell_integration(shell, clean_venv, tmp_path):
    result = run_clean(clean_venv, "--init", shell, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(clean_venv / "bin" / "cmdai") in result.stdout
    assert "_cmdai_widget" in result.stdout
