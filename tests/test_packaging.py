"""The installed package: one name, ``symbiote``, and nothing else at the top level.

The wheel is built from a copy of the checkout's tracked files and installed, without
its dependencies, into a fresh virtual environment; the dependencies are lent from this
environment's site-packages through a path file, so the installed console script runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]


def _tracked_copy(dest: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        target = dest / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(source.readlink())
        elif source.is_file():
            shutil.copy2(source, target)
    return dest


def test_the_wheel_installs_only_symbiote(tmp_path: Path) -> None:
    source = _tracked_copy(tmp_path / "src")
    subprocess.run([*PIP, "wheel", str(source), "--no-deps", "-w", str(tmp_path)], check=True)
    (wheel,) = tmp_path.glob("symbiote-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"symbiote", wheel.name.split("-py")[0] + ".dist-info"}
    for data in (
        "symbiote/py.typed",
        "symbiote/indexer/py.typed",
        "symbiote/queries/py.typed",
        "symbiote/indexer/patterns/python.scm",
        "symbiote/indexer/models/minilm-tokenizer.json",
        "symbiote/indexer/schemas/sidecar-v1.json",
        "symbiote/__main__.py",
        "symbiote/cli/main.py",
    ):
        assert data in names, data

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "-q", "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout.strip()
    )
    installed = {p.name for p in site.iterdir() if not p.name.startswith(("_", "."))}
    ours = {name for name in installed if name.startswith("symbiote")}
    assert ours == {"symbiote", "symbiote-0.1.0.dist-info"}
    assert not {"indexer", "queries", "cli"} & installed

    # Lend this environment's dependencies (a path file adds the directory, but runs no
    # path file of its own, so this checkout's editable install stays out).
    (site / "lent.pth").write_text(sysconfig.get_path("purelib") + "\n")
    script = venv / "bin" / "symbiote"
    assert "from symbiote.cli.main import main" in script.read_text()
    for command in ([str(script), "--help"], [str(python), "-m", "symbiote", "--help"]):
        shown = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("usage: symbiote"), shown.stdout
    where = subprocess.run(
        [str(python), "-c", "import symbiote.indexer as i; print(i.__file__)"],
        capture_output=True,
        check=True,
        text=True,
        cwd=tmp_path,
    ).stdout.strip()
    assert Path(where) == site / "symbiote" / "indexer" / "__init__.py"
