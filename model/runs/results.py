"""Run directories under results/: the output contract, written atomically, never overwritten.

``results/<run-id>/`` holds ``manifest.json`` (scenario content, seeds, scale, package version,
git commit, start time, wall time, status), ``indicators.csv`` (``scenario,seed,year,indicator,
value``, persons at full scale), ``pyramids.csv`` and the figures. Each seed's rows are written
to ``seeds/`` as soon as that seed finishes, so an interrupted run keeps what it finished.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from model import __version__

# Runs write under results/ in the project, or where BAOTOU_RESULTS points (tests, shared disks).
PROJECT_DIR = Path(__file__).resolve().parents[2]  # model/runs/results.py -> the checkout
RESULTS_DIR = Path(os.environ.get("BAOTOU_RESULTS", PROJECT_DIR / "results"))
INDICATOR_COLUMNS = ["scenario", "seed", "year", "indicator", "value"]


def _file_mode() -> int:
    """What a new file gets under the user's umask (read for all where the umask allows)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); results are for colleagues too.
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_csv(path: Path, frame: pd.DataFrame) -> None:
    atomic_write_text(path, frame.to_csv(index=False))


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.strip()
    return out.stdout.strip() + ("-dirty" if dirty else "")


def new_run_dir(out: Path, name: str) -> Path:
    """Create a fresh directory ``<out>/<name>-<timestamp>[-k]``; never reuses an existing one.

    ``name`` must be a safe name (``model.scenario.NAME_RULE``), so the directory is inside ``out``."""
    from model.scenario import check_name

    check_name(name, "results directory name")
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for k in range(1000):
        path = out / (f"{name}-{stamp}" + (f"-{k}" if k else ""))
        try:
            path.mkdir()  # fails if it exists: no run overwrites another
            return path
        except FileExistsError:
            continue
    raise RuntimeError(f"could not find a free run directory name under {out}")


class RunWriter:
    """Writes one run's files as it goes."""

    def __init__(self, run_dir: Path, manifest: dict[str, Any]) -> None:
        self.dir = run_dir
        self.started = dt.datetime.now(dt.UTC)
        self.manifest = {
            "package_version": __version__,
            "git_commit": git_commit(),
            "start_time": self.started.isoformat(timespec="seconds"),
            "status": "running",
            # A run whose process is gone while the status still says "running" died.
            "pid": os.getpid(),
            "host": platform.node(),
            "seeds_finished": [],
            **manifest,
        }
        self._write_manifest()

    def _write_manifest(self) -> None:
        atomic_write_text(
            self.dir / "manifest.json", json.dumps(self.manifest, indent=2, ensure_ascii=False, default=str) + "\n"
        )

    def seed_finished(self, seed: int, indicators: pd.DataFrame, pyramids: pd.DataFrame) -> None:
        atomic_write_csv(self.dir / "seeds" / f"indicators-seed{seed}.csv", indicators[INDICATOR_COLUMNS])
        atomic_write_csv(self.dir / "seeds" / f"pyramids-seed{seed}.csv", pyramids)
        self.manifest["seeds_finished"].append(seed)
        self._write_manifest()

    def tables(self, indicators: pd.DataFrame, pyramids: pd.DataFrame) -> None:
        """Write the run's tables (the manifest still says the run is not finished)."""
        atomic_write_csv(self.dir / "indicators.csv", indicators[INDICATOR_COLUMNS])
        atomic_write_csv(self.dir / "pyramids.csv", pyramids)

    def close(self, status: str) -> None:
        """Record how the run ended; written last, so "complete" means every file is there."""
        self.manifest["status"] = status
        self.manifest["wall_time_seconds"] = round((dt.datetime.now(dt.UTC) - self.started).total_seconds(), 2)
        self._write_manifest()

    def finish(self, indicators: pd.DataFrame, pyramids: pd.DataFrame, status: str = "complete") -> None:
        self.tables(indicators, pyramids)
        self.close(status)


def read_indicators(run_dir: Path) -> pd.DataFrame:
    """The indicators of a run, in long form."""
    return pd.read_csv(Path(run_dir) / "indicators.csv")
