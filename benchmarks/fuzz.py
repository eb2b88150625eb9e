"""Mutation fuzzer for the planner's command line: every input must end in an exit code and a message.

Seeds are the bundled examples (`examples/*.yaml`), a tiny one-site country that solves in well under a second,
a hardware entry of the bundled catalog (for `--catalog DIR`), a `plan.json` written by `planner size` (for
`planner report`) and the options of `planner estimate`. Each input applies one to four mutations: delete a key,
swap a value's type, huge / negative / NaN / infinite numbers (also as text), control characters and terminal
escape sequences, explicit YAML tags with bad values, merge keys, deep nesting, long values, many unknown keys,
scenario chains, `--set` values; or edits of the YAML text itself (tags, deleted or duplicated lines, random
bytes).

Every run goes through the CLI in-process (Typer's CliRunner). Counted as failures:

- traceback: any exception other than SystemExit (what a user would see as a traceback);
- hang: an input taking longer than `--hang-after` seconds (SIGALRM interrupts it);
- bad exit: an exit code outside 0, 1, 2, 3, 4;
- unsafe echo: a raw ESC, BEL or other control character from the input printed to the terminal;
- unbounded output: more than 100,000 characters printed.

CI runs a few hundred inputs (tests/test_fuzz.py); on demand:

    python -m benchmarks.fuzz --n 10000 [--seed 1] [--targets validate,size,report,estimate,catalog] [--save DIR]

prints a summary (inputs per target, failures per kind with one example each) and exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ALLOWED_EXITS = {0, 1, 2, 3, 4}
MAX_OUTPUT = 100_000
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202e]")

TINY = {
    "country": {"name": "Testland", "iso2": "TL"},
    "planning": {"start_year": 2027, "years": 1, "discount_rate": 0.0},
    "languages": {"en": 1.0},
    "sites": {
        "main_dc": {
            "name": "Main DC",
            "jurisdiction": "TL",
            "power_kw": 2000,
            "racks": 40,
            "pue": 1.4,
            "electricity_usd_per_kwh": 0.1,
        }
    },
    "workloads": {
        "chat": {
            "kind": "serving",
            "model": "llama_3_1_8b",
            "users": 200000,
            "requests_per_user_per_day": 10,
            "input_tokens_per_request": 500,
            "output_tokens_per_request": 300,
            "peak_factor": 3,
            "tpot_ms": 50,
        },
        "ft": {"kind": "fine_tuning", "model": "llama_3_1_8b", "tokens": 1e9, "deadline_days": 7},
    },
    "hardware": ["hgx_h100", "mi300x_8x"],
    "overrides": {"cheap": {"budget.capex_usd": 5e7}, "rent": {"policy.acquisition": "rent_only"}},
    "scenarios": {"both": ["cheap", "nvidia_only"]},
}

NUMBERS: list[Any] = [
    0,
    -1,
    -0.0,
    1e-300,
    5e-324,
    1e300,
    1.7976931348623157e308,
    10**30,
    10**400,
    2**63,
    2**64 + 1,
    -(10**20),
    0.5,
    1.0000001,
    42,
    3.5,
    1e18,
    1e19,
    7e12,
]
TEXT_NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", ".nan", ".inf", "1e400", "1,500", "1.5MW", "", " ", "0x10"]
STRINGS = [
    "",
    "x",
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b[31mred",
    "bell\x07",
    "a\rb",
    "a\nb",
    "\x00",
    "\x7f",
    "\u202eevil",
    "\ud7ff",
    "🤖",
    "Ünïcødé",
    "![](http://evil.example/x.png)",
    "<script>alert(1)</script>",
    "# heading",
    "=1+2",
    "@SUM(A1)",
    "a|b",
    "`code`",
    "[link](javascript:alert(1))",
    "\\",
    "{{ 7*7 }}",
    "%s%n",
    "A" * 5000,
    "hgx_h100",
    "llama_3_1_8b",
    "serving",
    "MY",
    "ZZ",
    "2027",
    "\u2028line",
    "\t",
    "\x85",
    "\x9b31m",
]
TAGS = [
    "!!int abc",
    "!!float x",
    "!!bool maybe",
    "!!timestamp 2001-13-45",
    "!!map abc",
    "!!seq abc",
    "!!str {a: 1}",
    "!!null 3",
    "!!binary aGk=",
    "!!python/object/apply:os.system ['true']",
    "!include x",
    "!!set {a}",
    "{<<: 1}",
    "{<<: [1, 2]}",
    "{<<: {a: 1}, b: 2}",
    "&a [*a]",
    "2001-13-45",
    "9" * 5000,
    "0x" + "f" * 300,
    "1" + ":59" * 150,
    "[" * 80 + "]" * 80,
    "{a: " * 70 + "1" + "}" * 70,
]
KEYS = ["kind", "id", "hardware", "users", "extra", "sites", "__", "", "a.b", "\x1b[1m", "x" * 300, "<<", "1", "null"]


def _leaf_values(rng: random.Random) -> Any:
    pick = rng.random()
    if pick < 0.35:
        return rng.choice(NUMBERS)
    if pick < 0.5:
        return rng.choice(TEXT_NUMBERS)
    if pick < 0.8:
        return rng.choice(STRINGS)
    if pick < 0.88:
        return rng.choice([True, False, None])
    if pick < 0.94:
        return [rng.choice(STRINGS), rng.choice(NUMBERS)]
    return {rng.choice(KEYS): rng.choice(NUMBERS)}


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out.extend(_paths(value, (*prefix, i)))
    return out


def _parent(doc: Any, path: tuple) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _scaled(old: Any, rng: random.Random) -> Any:
    if isinstance(old, int | float) and not isinstance(old, bool):
        factor = rng.choice([0, -1, 1e-300, 1e-12, 1e-3, 10, 1e6, 1e12, 1e30, 1e300, 1e308])
        try:
            return old * factor
        except OverflowError:
            return 1e308
    return rng.choice(NUMBERS + TEXT_NUMBERS)


def _deep(rng: random.Random) -> Any:
    value: Any = rng.choice(NUMBERS)
    for _ in range(rng.choice([10, 40, 63, 70, 200])):
        value = {"a": value} if rng.random() < 0.5 else [value]
    return value


def _text(old: Any, rng: random.Random) -> str:
    return (str(old)[:40] if not isinstance(old, dict | list) else "") + rng.choice(STRINGS)


def _long(rng: random.Random) -> str:
    return rng.choice(["A", "\x1b", "é", "1"]) * rng.choice([1000, 100_000, 1_000_000])


# mutations of one value: (parent, key, old value, rng) -> new value
VALUE_MUTATIONS: dict[str, Callable[[Any, Any, Any, random.Random], Any]] = {
    "swap": lambda parent, key, old, rng: _leaf_values(rng),
    "number": lambda parent, key, old, rng: _scaled(old, rng),
    "text": lambda parent, key, old, rng: _text(old, rng),
    "deep": lambda parent, key, old, rng: _deep(rng),
    "long": lambda parent, key, old, rng: _long(rng),
}


def _add(parent: dict, key: Any, rng: random.Random) -> None:
    parent[rng.choice(KEYS) + rng.choice(["", str(rng.randint(0, 9))])] = _leaf_values(rng)


def _rename(parent: dict, key: Any, rng: random.Random) -> None:
    parent[rng.choice(KEYS) + rng.choice(STRINGS[:4])] = parent.pop(key)


def _unknown_keys(parent: dict, key: Any, rng: random.Random) -> None:
    for i in range(rng.choice([60, 500, 3000])):
        parent[f"zz_{i}"] = i


# mutations of a mapping: (mapping, key, rng) -> None, in place
MAPPING_MUTATIONS: dict[str, Callable[[dict, Any, random.Random], None]] = {
    "add": _add,
    "rename": _rename,
    "unknown_keys": _unknown_keys,
}


def _chain(doc: dict, rng: random.Random) -> None:
    levels = rng.choice([3, 17, 40])
    doc["scenarios"] = {"s0": ["cheap"], **{f"s{i}": [f"s{i - 1}", f"s{i - 1}"] for i in range(1, levels)}}
    if not isinstance(doc.get("overrides"), dict):
        doc["overrides"] = {}
    doc["overrides"]["cheap"] = {"budget.capex_usd": 1e8}


def mutate_doc(doc: Any, rng: random.Random) -> Any:
    """One structural mutation of a parsed document (in place where possible); returns the document."""
    paths = _paths(doc)
    if not paths:
        return _leaf_values(rng)
    path = rng.choice(paths)
    parent = _parent(doc, path)
    key = path[-1]
    action = rng.choice(
        ["delete", "delete", "swap", "swap", "number", "number", *VALUE_MUTATIONS, *MAPPING_MUTATIONS, "chain"]
    )
    if action == "delete":
        del parent[key]
    elif action in VALUE_MUTATIONS:
        parent[key] = VALUE_MUTATIONS[action](parent, key, parent[key], rng)
    elif action in MAPPING_MUTATIONS and isinstance(parent, dict):
        MAPPING_MUTATIONS[action](parent, key, rng)
    elif action == "chain" and isinstance(doc, dict):
        _chain(doc, rng)
    return doc


def mutate_text(text: str, rng: random.Random) -> str:
    """One edit of YAML text: a tag or odd value on a line, a deleted or duplicated line, random characters."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    action = rng.choice(["tag", "tag", "tag", "delete", "duplicate", "chars", "indent", "truncate"])
    if action == "tag" and ":" in lines[i]:
        head = lines[i].split(":", 1)[0]
        lines[i] = f"{head}: {rng.choice(TAGS)}"
    elif action == "delete":
        del lines[i]
    elif action == "duplicate":
        lines.insert(i, lines[i])
    elif action == "chars":
        pos = rng.randrange(len(lines[i]) + 1)
        lines[i] = (
            lines[i][:pos]
            + rng.choice(["\x1b", "\x07", "\t", "{", "[", "&a", "*a", "!", "%", "'", "\\"])
            + lines[i][pos:]
        )
    elif action == "indent":
        lines[i] = " " * rng.choice([1, 3, 9]) + lines[i]
    elif action == "truncate":
        lines = lines[: i + 1]
    return "\n".join(lines)


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10**9)


def mutated_country(base: Any, rng: random.Random) -> str:
    """A mutated country document as YAML text (structural mutations, then sometimes text edits)."""
    doc = copy.deepcopy(base)
    for _ in range(rng.randint(1, 4)):
        doc = mutate_doc(doc, rng)
    try:
        text = _dump(doc)
    except (yaml.YAMLError, RecursionError, ValueError):
        text = _dump(base)
    if rng.random() < 0.35:
        for _ in range(rng.randint(1, 2)):
            text = mutate_text(text, rng)
    return text


# ------------------------------------------------------------------------------------------------ running


class Hang(BaseException):
    """Raised by SIGALRM when one input runs too long (BaseException: no `except Exception` swallows it)."""


@dataclass
class Result:
    """Counts of a fuzzing run."""

    inputs: Counter = field(default_factory=Counter)
    exits: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def tracebacks(self) -> int:
        return self.failures["traceback"]

    @property
    def hangs(self) -> int:
        return self.failures["hang"]

    def summary(self) -> str:
        lines = [
            f"{sum(self.inputs.values()):,} inputs in {self.seconds:.0f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(self.inputs.items())),
            "exit codes: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(self.exits.items(), key=str)),
            f"tracebacks: {self.tracebacks}, hangs: {self.hangs}, other failures: "
            + (", ".join(f"{k} {v}" for k, v in self.failures.items() if k not in ("traceback", "hang")) or "none"),
        ]
        for kind, example in self.examples.items():
            lines.append(f"--- first {kind}:\n{example[:3000]}")
        return "\n".join(lines)


def _with_time_and_uncertainty(doc: dict[str, Any]) -> dict[str, Any]:
    """An example with the optional dated fields and ranges set, so mutations reach their checks too."""
    doc = copy.deepcopy(doc)
    start = (doc.get("planning") or {}).get("start_year", 2028)
    for w in (doc.get("workloads") or {}).values():
        if not isinstance(w, dict):
            continue
        if w.get("kind") == "serving":
            w["go_live"] = f"{start}Q3"
        elif w.get("kind") in ("pretraining", "fine_tuning") and "year" not in w and "start_week" not in w:
            w["earliest_start"] = f"{start}-02-01"
    doc["uncertainty"] = {"demand": {"low": -0.3, "high": 0.5}, "hardware_prices": {"low": -0.1, "high": 0.25}}
    return doc


class Fuzzer:
    """Generates inputs per target and runs them through the CLI in-process."""

    def __init__(self, work: Path, seed: int, hang_after: float, save: Path | None = None) -> None:
        from typer.testing import CliRunner

        from planner.cli import _register_subcommands, app

        if not getattr(app, "_fuzz_registered", False):
            _register_subcommands()
            app._fuzz_registered = True  # type: ignore[attr-defined]
        self.app = app
        self.runner = CliRunner()
        self.work = work
        self.rng = random.Random(seed)
        self.hang_after = hang_after
        self.save = save
        self.result = Result()
        self.examples = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]
        self.examples += [_with_time_and_uncertainty(doc) for doc in self.examples if isinstance(doc, dict)]
        # inputs, not proposals: the options and sensitivity re-solves would make every size input a "hang"
        os.environ.setdefault("PLANNER_REPORT_FORM", "short")
        nvidia = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text(encoding="utf-8"))
        self.hardware = next(h for h in nvidia["hardware"] if h["id"] == "hgx_h100")
        efficiency = yaml.safe_load((ROOT / "catalogs" / "efficiency.yaml").read_text(encoding="utf-8"))
        self.profile = next(
            p for p in efficiency["efficiency_profiles"] if p["id"] == self.hardware["efficiency_profile"]
        )
        self._plan: dict[str, Any] | None = None
        self.count = 0

    # ------------------------------------------------------------------ one run

    def run(self, target: str, args: list[str], note: str = "") -> None:
        self.count += 1
        self.result.inputs[target] += 1
        previous = signal.signal(signal.SIGALRM, self._alarm)
        signal.setitimer(signal.ITIMER_REAL, self.hang_after)
        started = time.perf_counter()
        try:
            outcome = self.runner.invoke(self.app, args, catch_exceptions=True)
        except Hang:
            self._fail("hang", target, args, note, f"over {self.hang_after:g} s")
            return
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        elapsed = time.perf_counter() - started
        exc = outcome.exception
        if isinstance(exc, Hang):
            self._fail("hang", target, args, note, f"over {self.hang_after:g} s")
            return
        if exc is not None and not isinstance(exc, SystemExit):
            tb = "".join(traceback.format_exception(exc))
            self._fail("traceback", target, args, note, f"{type(exc).__name__}: {exc}\n{tb[-2500:]}")
            return
        self.result.exits[outcome.exit_code] += 1
        output = outcome.output
        if outcome.exit_code not in ALLOWED_EXITS:
            self._fail("bad_exit", target, args, note, f"exit {outcome.exit_code}\n{output[:2000]}")
        elif "Traceback" in output:
            self._fail("traceback", target, args, note, output[-3000:])
        elif len(output) > MAX_OUTPUT:
            self._fail("unbounded_output", target, args, note, f"{len(output):,} characters")
        elif UNSAFE.search(output):
            match = UNSAFE.search(output)
            assert match is not None
            context = output[max(0, match.start() - 200) : match.end() + 100]
            self._fail("unsafe_echo", target, args, note, repr(context))
        elif not output.strip() and not (outcome.exit_code == 0 and "-q" in args):
            self._fail("no_message", target, args, note, f"exit {outcome.exit_code}")
        elif elapsed > self.hang_after / 2:
            self.result.failures["slow"] += 1

    def _alarm(self, signum: int, frame: Any) -> None:
        raise Hang

    def _fail(self, kind: str, target: str, args: list[str], note: str, detail: str) -> None:
        self.result.failures[kind] += 1
        text = f"target {target}, args {args!r}\n{note[:2000]}\n{detail}"
        self.result.examples.setdefault(kind, text)
        if self.save is not None:
            self.save.mkdir(parents=True, exist_ok=True)
            case = self.save / f"{kind}-{self.result.failures[kind]:04d}"
            case.mkdir(exist_ok=True)
            (case / "what.txt").write_text(text, encoding="utf-8", errors="replace")
            for arg in args:
                path = Path(arg)
                if path.is_file() and path.stat().st_size < 6_000_000:
                    (case / path.name).write_bytes(path.read_bytes())

    # ------------------------------------------------------------------ targets

    def _case_dir(self) -> Path:
        directory = self.work / f"case{self.count}"
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    def validate(self) -> None:
        case = self._case_dir()
        base = self.rng.choice([*self.examples, TINY])
        country = case / "country.yaml"
        country.write_text(mutated_country(base, self.rng), encoding="utf-8", errors="surrogatepass")
        args = ["validate", str(country)]
        if self.rng.random() < 0.3:
            args += ["--scenario", self.rng.choice(["both", "cheap", "ascend_only", "s16", "nope", "\x1b[1m"])]
        if self.rng.random() < 0.3:
            args += ["--set", self._set_value()]
        if self.rng.random() < 0.1:  # a separate scenarios file, mutated too
            extra = {"overrides": copy.deepcopy(TINY["overrides"]), "scenarios": copy.deepcopy(TINY["scenarios"])}
            (case / "scenarios.yaml").write_text(
                mutated_country(extra, self.rng), encoding="utf-8", errors="surrogatepass"
            )
            args += ["--scenarios", str(case / "scenarios.yaml")]
        self.run("validate", args)

    def _set_value(self) -> str:
        key = self.rng.choice(
            [
                "budget.capex_usd",
                "planning.years",
                "sites.main_dc.racks",
                "policy.vendor_max_share",
                "a..b",
                "sites.new.name",
                "x" + ".y" * 40,
                "country",
                "=",
                "workloads.chat.users",
            ]
        )
        value = self.rng.choice([*TAGS, *TEXT_NUMBERS, "1e6", "90e6", "[1, 2]", "{a: 1}", "\x1b]0;t\x07", "null"])
        return f"{key}={value}"

    def size(self) -> None:
        case = self._case_dir()
        country = case / "country.yaml"
        country.write_text(mutated_country(TINY, self.rng), encoding="utf-8", errors="surrogatepass")
        formats = self.rng.choice(["json", "json,md,html", "json,xlsx", "md,html,xlsx"])
        args = ["size", str(country), "--out", str(case / "out"), "--time-limit", "5", "--format", formats, "-q"]
        if self.rng.random() < 0.2:
            args += ["--scenario", self.rng.choice(["both", "cheap", "rent", "ascend_only"])]
        self.run("size", args)

    def catalog(self) -> None:
        case = self._case_dir()
        (case / "cat").mkdir(exist_ok=True)
        if self.rng.random() < 0.6:
            doc: Any = {"hardware": [copy.deepcopy(self.hardware)]}
        else:
            doc = {"efficiency_profiles": [copy.deepcopy(self.profile)]}
        (case / "cat" / "mine.yaml").write_text(
            mutated_country(doc, self.rng), encoding="utf-8", errors="surrogatepass"
        )
        if self.rng.random() < 0.5:
            country = case / "country.yaml"
            country.write_text(_dump({**TINY, "hardware": ["hgx_h100"]}), encoding="utf-8")
            args = [
                "size",
                str(country),
                "--catalog",
                str(case / "cat"),
                "--out",
                str(case / "out"),
                "--time-limit",
                "5",
                "--format",
                self.rng.choice(["json", "json,md,xlsx"]),
                "-q",
            ]
        else:
            args = [
                "estimate",
                "train",
                "--model",
                "llama_3_1_8b",
                "--hardware",
                "hgx_h100",
                "--tokens",
                "1e12",
                "--days",
                "30",
                "--catalog",
                str(case / "cat"),
            ]
            if self.rng.random() < 0.5:
                args = [
                    "estimate",
                    "serve",
                    "--model",
                    "llama_3_1_8b",
                    "--hardware",
                    "hgx_h100",
                    "--input-tokens",
                    "500",
                    "--output-tokens",
                    "300",
                    "--tpot-ms",
                    "50",
                    "--catalog",
                    str(case / "cat"),
                ]
        self.run("catalog", args)

    def plan(self) -> dict[str, Any]:
        if self._plan is None:
            case = self.work / "seed_plan"
            case.mkdir(parents=True, exist_ok=True)
            country = case / "country.yaml"
            country.write_text(_dump(TINY), encoding="utf-8")
            out = self.runner.invoke(self.app, ["size", str(country), "--out", str(case / "out"), "-q"])
            assert out.exit_code == 0, out.output
            self._plan = json.loads((case / "out" / "plan.json").read_text())
        return self._plan

    def report(self) -> None:
        case = self._case_dir()
        plan = copy.deepcopy(self.plan())
        for _ in range(self.rng.randint(1, 3)):
            plan = mutate_doc(plan, self.rng)
        plan_file = case / "plan.json"
        try:
            text = json.dumps(plan)
        except (ValueError, TypeError, RecursionError):
            text = json.dumps(self.plan())
        if self.rng.random() < 0.2:
            text = self.rng.choice(
                [
                    text[: self.rng.randrange(len(text) + 1)],
                    text.replace("2027", "1e30"),
                    text.replace('"Testland"', '"\\u001b]0;x\\u0007"'),
                    "[" * 100_000 + "]" * 100_000,
                    text.replace("0.0", "NaN", 1),
                    text.replace("1", "Infinity", 1),
                ]
            )
        plan_file.write_text(text, encoding="utf-8", errors="surrogatepass")
        formats = self.rng.choice(["md,html", "md", "html", "xlsx", "md,html,xlsx"])
        self.run("report", ["report", str(plan_file), "--format", formats], note=text[:500])

    def estimate(self) -> None:
        rng = self.rng
        odd = ["nan", "inf", "-inf", "1e300", "1e-300", "0", "-1", "abc", "1e18", "7", "1e12", "0.5", "2"]
        if rng.random() < 0.5:
            args = [
                "estimate",
                "train",
                "--model",
                rng.choice(["llama_3_1_8b", "llama_3_1_70b", "nope", "\x1b[2J"]),
                "--hardware",
                rng.choice(["hgx_h100", "atlas_800t_a2", "nope"]),
                "--tokens",
                rng.choice(odd),
            ]
            args += rng.choice(
                [
                    ["--chips", rng.choice(odd)],
                    ["--units", rng.choice(odd)],
                    ["--days", rng.choice(odd)],
                    ["--days", "30", "--chips", "8"],
                    [],
                ]
            )
            for option in ("--mfu", "--goodput", "--seq-len"):
                if rng.random() < 0.2:
                    args += [option, rng.choice(odd)]
            if rng.random() < 0.2:
                args += ["--method", rng.choice(["full", "lora", "pretraining", "x"])]
        else:
            args = [
                "estimate",
                "serve",
                "--model",
                rng.choice(["llama_3_1_8b", "llama_3_1_70b", "nope"]),
                "--hardware",
                rng.choice(["hgx_h100", "mi300x_8x", "nope"]),
                "--input-tokens",
                rng.choice(odd),
                "--output-tokens",
                rng.choice(odd),
            ]
            for option in ("--tpot-ms", "--ttft-ms"):
                if rng.random() < 0.4:
                    args += [option, rng.choice(odd)]
            if rng.random() < 0.2:
                args += ["--precision", rng.choice(["fp8", "int4", "fp3"])]
        if rng.random() < 0.3:
            args.append("--json")
        self.run("estimate", args)


TARGETS: dict[str, tuple[float, Callable[[Fuzzer], None]]] = {
    # share of the inputs, generator
    "validate": (0.55, Fuzzer.validate),
    "estimate": (0.15, Fuzzer.estimate),
    "report": (0.12, Fuzzer.report),
    "catalog": (0.10, Fuzzer.catalog),
    "size": (0.08, Fuzzer.size),
}


def fuzz(
    n: int,
    seed: int = 0,
    targets: list[str] | None = None,
    hang_after: float = 30.0,
    save: Path | None = None,
    progress: bool = False,
) -> Result:
    """Run `n` generated inputs and return the counts."""
    names = targets or list(TARGETS)
    weights = [TARGETS[t][0] for t in names]
    started = time.perf_counter()
    real_fsync = os.fsync
    os.fsync = lambda fd: None  # durability is not under test; fsync would be most of the time on a slow disk
    try:
        return _fuzz(n, seed, names, weights, hang_after, save, progress, started)
    finally:
        os.fsync = real_fsync


def _fuzz(
    n: int,
    seed: int,
    names: list[str],
    weights: list[float],
    hang_after: float,
    save: Path | None,
    progress: bool,
    started: float,
) -> Result:
    with tempfile.TemporaryDirectory(prefix="planner-fuzz-") as tmp:
        fuzzer = Fuzzer(Path(tmp), seed, hang_after, save)
        for i in range(n):
            name = fuzzer.rng.choices(names, weights)[0]
            TARGETS[name][1](fuzzer)
            if (i + 1) % 50 == 0:  # keep the temporary directory small
                for case in Path(tmp).glob("case*"):
                    _rmtree(case)
            if progress and (i + 1) % 500 == 0:
                print(f"{i + 1:,} inputs, {dict(fuzzer.result.failures)}", file=sys.stderr, flush=True)
        fuzzer.result.seconds = time.perf_counter() - started
        return fuzzer.result


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of inputs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated: " + ", ".join(TARGETS))
    parser.add_argument("--hang-after", type=float, default=30.0, help="seconds after which an input is a hang")
    parser.add_argument("--save", type=Path, default=None, help="directory for the inputs that failed")
    args = parser.parse_args(argv)
    result = fuzz(args.n, args.seed, args.targets.split(","), args.hang_after, args.save, progress=True)
    print(result.summary())
    bad = {k: v for k, v in result.failures.items() if k != "slow"}
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
