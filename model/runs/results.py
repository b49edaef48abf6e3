"""Run directories under results/: the output contract, written atomically, never overwritten.

``results/<run-id>/`` holds ``manifest.json`` (scenario content, seeds, scale, package version,
git commit, start time, wall time, status), ``indicators.csv`` (``scenario,seed,year,indicator,
value``, persons at full scale), ``pyramids.csv`` and the figures. Each seed's rows are written
to ``seeds/`` as soon as that seed finishes (their checksums in the manifest), so an interrupted
or failed run keeps what it finished and ``resume_run`` can finish it: the seeds whose files are
whole are read back, the others run again, and the numbers are those of an uninterrupted run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from model import __version__
from model.scenario import ScenarioError, check_name

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


@cache
def code_digest() -> str:
    """A hash of the model package's code and data files: runs made with another digest may
    give other numbers, so their seeds are never mixed."""
    root = Path(__file__).resolve().parents[1]  # the model package
    h = hashlib.sha256()
    for path in sorted(
        p for p in root.rglob("*") if p.suffix in (".py", ".toml", ".csv") and "__pycache__" not in p.parts
    ):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_run_dir(out: Path, name: str) -> Path:
    """Create a fresh directory ``<out>/<name>-<timestamp>[-k]``; never reuses an existing one.

    ``name`` must be a safe name (``model.scenario.NAME_RULE``), so the directory is inside ``out``."""
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
        self.earlier_seconds = 0.0  # wall time of the sessions before a resume
        self.manifest = {
            "package_version": __version__,
            "git_commit": git_commit(),
            "code_digest": code_digest(),
            "start_time": self.started.isoformat(timespec="seconds"),
            "status": "running",
            # A run whose process is gone while the status still says "running" died.
            "pid": os.getpid(),
            "host": platform.node(),
            "seeds_finished": [],
            "seed_files": {},  # seed -> sha256 of its two files in seeds/, checked on resume
            **manifest,
        }

    @classmethod
    def start(cls, out: Path, name: str, manifest: dict[str, Any]) -> RunWriter:
        """A new run directory ``<out>/<name>-<timestamp>`` with its manifest ("running")."""
        writer = cls(Path(), manifest)  # the manifest first (git takes a moment), then the folder
        writer.dir = new_run_dir(Path(out), name)
        writer._write_manifest()
        return writer

    def _write_manifest(self) -> None:
        atomic_write_text(
            self.dir / "manifest.json", json.dumps(self.manifest, indent=2, ensure_ascii=False, default=str) + "\n"
        )

    def seed_finished(self, seed: int, indicators: pd.DataFrame, pyramids: pd.DataFrame) -> None:
        files = seed_files(self.dir, seed)
        atomic_write_csv(files["indicators"], indicators[INDICATOR_COLUMNS])
        atomic_write_csv(files["pyramids"], pyramids)
        self.manifest["seed_files"][str(seed)] = {k: sha256(path) for k, path in files.items()}
        self.manifest["seeds_finished"].append(seed)
        self._write_manifest()

    def tables(self, indicators: pd.DataFrame, pyramids: pd.DataFrame) -> None:
        """Write the run's tables (the manifest still says the run is not finished)."""
        atomic_write_csv(self.dir / "indicators.csv", indicators[INDICATOR_COLUMNS])
        atomic_write_csv(self.dir / "pyramids.csv", pyramids)

    def close(self, status: str) -> None:
        """Record how the run ended; written last, so "complete" means every file is there."""
        self.manifest["status"] = status
        elapsed = (dt.datetime.now(dt.UTC) - self.started).total_seconds()
        self.manifest["wall_time_seconds"] = round(self.earlier_seconds + elapsed, 2)
        self._write_manifest()

    def finish(self, indicators: pd.DataFrame, pyramids: pd.DataFrame, status: str = "complete") -> None:
        self.tables(indicators, pyramids)
        self.close(status)


def seed_files(run_dir: Path, seed: int) -> dict[str, Path]:
    return {
        "indicators": run_dir / "seeds" / f"indicators-seed{seed}.csv",
        "pyramids": run_dir / "seeds" / f"pyramids-seed{seed}.csv",
    }


# Text columns of the seed tables, kept as text (a scenario named "2030" or "NA" stays a name).
_TEXT_COLUMNS = ("scenario", "indicator", "when", "date", "sex")


def read_seed_table(path: Path) -> pd.DataFrame:
    """A stored seed table as it was before writing: whole-number columns as integers, the
    others as floats parsed by Python (correctly rounded, so the digits written come back
    exactly and a resumed run writes the same bytes as an uninterrupted one)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column in _TEXT_COLUMNS:
            continue
        text = frame[column]
        if text.str.fullmatch(r"-?\d+").all():
            frame[column] = text.astype("int64")
        else:
            frame[column] = [float(v) if v else float("nan") for v in text]
    return frame


class ResumeRefused(ScenarioError):
    """A run directory that cannot be resumed by this command (one line: what and why)."""


# What decides a run's numbers: a resumed run must agree on all of it with the command.
_DECIDES = ("kind", "scenario", "against", "seeds", "scale", "code_digest")


def _plain(value: Any) -> Any:
    """As it reads back from the manifest (JSON), without where the scenario file was found."""
    plain = json.loads(json.dumps(value, default=str))
    if isinstance(plain, dict):
        plain = {k: v for k, v in plain.items() if k not in ("path", "extends_chain")}
    return plain


def _first_difference(there: Any, here: Any, path: str) -> str | None:
    if isinstance(there, dict) and isinstance(here, dict):
        for key in sorted(set(there) | set(here)):
            found = _first_difference(there.get(key), here.get(key), f"{path}.{key}" if path else key)
            if found:
                return found
        return None
    return None if there == here else f"{path} is {there!r} there and {here!r} here"


def _alive(manifest: dict[str, Any]) -> bool:
    """Whether the process that wrote a "running" manifest still runs (on this machine)."""
    if manifest.get("status") != "running" or manifest.get("host") != platform.node():
        return False
    pid = manifest.get("pid")
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process with that number
        return True
    return True


# A resumed run's seeds read back: seed -> (indicators, pyramids).
StoredSeeds = dict[int, tuple[pd.DataFrame, pd.DataFrame]]


def open_run(out: Path, name: str, manifest: dict[str, Any], resume: Path | None) -> tuple[RunWriter, StoredSeeds]:
    """A new run directory under ``out``, or with ``resume`` the interrupted one to finish."""
    if resume is None:
        return RunWriter.start(out, name, manifest), {}
    return resume_run(resume, manifest)


def resume_run(run_dir: Path, manifest: dict[str, Any]) -> tuple[RunWriter, StoredSeeds]:
    """Reopen an interrupted or failed run for the same command: its writer, and the seeds whose
    files are whole (checksums as recorded) read back. A damaged seed file is set aside
    (``*.damaged``) and the seed runs again. A complete run, a run still going, or one made for
    other settings or another version of the model is refused (``ResumeRefused``)."""
    run_dir = Path(run_dir)
    where = f"--resume {run_dir}"
    path = run_dir / "manifest.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResumeRefused(
            f"{where}: no manifest.json there; allowed: a run directory made by run or compare"
        ) from None
    except (OSError, ValueError) as err:
        raise ResumeRefused(f"{where}: cannot read its manifest.json ({err})") from None
    if not isinstance(stored, dict) or "status" not in stored:
        raise ResumeRefused(f"{where}: manifest.json is not a run's manifest")
    if stored["status"] == "complete":
        raise ResumeRefused(f"{where}: that run is complete; nothing to resume (leave out --resume for a new run)")
    if _alive(stored):
        raise ResumeRefused(f"{where}: that run is still going (pid {stored['pid']} on {stored['host']})")
    writer = RunWriter(run_dir, manifest)
    if "code_digest" not in stored or "seed_files" not in stored:
        raise ResumeRefused(f"{where}: written by an older version that kept no checksums; start a new run")
    for key in _DECIDES:
        difference = _first_difference(_plain(stored.get(key)), _plain(writer.manifest.get(key)), key)
        if difference:
            why = " (the model's code or data changed since)" if key == "code_digest" else ""
            raise ResumeRefused(
                f"{where}: that run was made for other settings{why}: {difference}; "
                "allowed: the command that started it (or leave out --resume for a new run)"
            )
    done: StoredSeeds = {}
    for seed in stored.get("seeds_finished", []):
        files = seed_files(run_dir, seed)
        recorded = stored["seed_files"].get(str(seed), {})
        try:
            intact = all(recorded.get(k) == sha256(p) for k, p in files.items())
        except OSError:
            intact = False
        if intact:
            done[seed] = (read_seed_table(files["indicators"]), read_seed_table(files["pyramids"]))
            writer.manifest["seed_files"][str(seed)] = recorded
        else:
            for p in files.values():
                if p.exists():
                    p.replace(p.with_name(p.name + ".damaged"))
    writer.manifest["seeds_finished"] = sorted(done)
    writer.manifest["start_time"] = stored.get("start_time", writer.manifest["start_time"])
    writer.manifest["resumed"] = [*stored.get("resumed", []), writer.started.isoformat(timespec="seconds")]
    previous = stored.get("wall_time_seconds")
    writer.earlier_seconds = float(previous) if isinstance(previous, int | float) else 0.0
    writer._write_manifest()
    return writer, done


def read_indicators(run_dir: Path) -> pd.DataFrame:
    """The indicators of a run, in long form."""
    return pd.read_csv(Path(run_dir) / "indicators.csv")
