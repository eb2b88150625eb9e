"""How far each input may be off: one distribution per uncertain factor, and the sampling of futures.

A factor multiplies a planned figure (1.0 = as planned) or, for growth, adds to it (0.0 = as planned). Ranges
come from country.yaml's `uncertainty` section; catalog figures without one get a range from their confidence
(`CONFIDENCE_SPREAD`); serving throughput and training time vary within the performance model's validation
error bands. Draws are made in factor-name order from numpy's PCG64 seeded per fixed-size chunk of futures, so
the same seed gives the same futures however the chunks are spread over workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.schema.country import Spread

CHUNK = 250
"""Futures per chunk: each chunk has its own child seed, so results do not depend on the number of workers."""

CONFIDENCE_SPREAD: dict[str, tuple[float, float]] = {
    "measured": (-0.05, 0.05),
    "vendor": (-0.15, 0.15),
    "estimate": (-0.30, 0.30),
}
"""Range (relative change, triangular around the figure) given to a catalog figure that has no range of its own,
by the confidence its source states. A planner convention, not a measured figure: a published run or datasheet
is taken as good to a few per cent, a vendor claim to about a sixth, a derived estimate to about a third."""

UNCALIBRATED_BAND = (0.5, 0.9)
"""Median and largest absolute error assumed for a serving profile with too few published runs to calibrate
it (about the widest validated band, planner/perf/serving_bands.py); errors equally likely either way."""

_MEDIAN_ABS_NORMAL = 0.6745  # median of |Z| for a standard normal Z


@dataclass(frozen=True)
class Draw:
    """The distribution of one factor.

    triangular/uniform: 1 + x (or x for an additive factor) with x between `low` and `high` (triangular: most
    likely 0); lognormal: median·exp(sigma·Z) kept within [low, high]; constant: always `low`."""

    kind: str
    low: float
    high: float
    sigma: float = 0.0
    median: float = 1.0
    additive: bool = False
    source: str = ""

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` draws of the factor."""
        if self.kind == "lognormal":
            return np.clip(self.median * np.exp(self.sigma * rng.standard_normal(n)), self.low, self.high)
        if self.kind == "constant" or self.low == self.high:
            rng.random(n)  # keep the stream aligned with the other kinds
            return np.full(n, self.low if self.kind == "constant" else self._base(self.low))
        if self.kind == "uniform":
            x = rng.uniform(self.low, self.high, n)
        else:
            x = rng.triangular(self.low, 0.0, self.high, n)
        return self._base(x)

    def _base(self, x):
        return x if self.additive else 1.0 + x


def from_spread(spread: Spread, source: str, *, additive: bool = False) -> Draw:
    """A factor from a country.yaml range."""
    return Draw(spread.distribution, spread.low, spread.high, additive=additive, source=source)


def from_confidence(confidence: str, source: str) -> Draw:
    """A factor for a catalog figure with no range of its own, from its stated confidence."""
    low, high = CONFIDENCE_SPREAD[confidence]
    return Draw("triangular", low, high, source=f"{source} ({confidence}: {low:+.0%} to {high:+.0%})")


def from_serving_ratio(ratio: tuple[float, float, float, float, int] | None, source: str) -> Draw:
    """Throughput (published / estimated) on a profile: lognormal around the held-out runs' median ratio with
    their spread, kept within the lowest and highest ratio they showed (planner/uncertainty/serving_errors.py).
    A profile without enough runs gets median 1 and the assumed uncalibrated band."""
    if ratio is None:
        median_abs, max_abs = UNCALIBRATED_BAND
        sigma = math.log1p(median_abs) / _MEDIAN_ABS_NORMAL
        source += f" (uncalibrated: median 1, ±{median_abs:.0%} typical, at most ±{max_abs:.0%})"
        return Draw("lognormal", 1.0 - max_abs, 1.0 + max_abs, sigma=sigma, source=source)
    median, sigma, lowest, highest, runs = ratio
    source += f" ({runs} held-out runs: median {median:.2f} of the estimate, {lowest:.2f} to {highest:.2f})"
    return Draw("lognormal", lowest, highest, sigma=sigma, median=median, source=source)


def from_training_band(band: tuple[float, float], source: str) -> Draw:
    """Training time (measured / estimated): uniform over the range published runs fell in."""
    low, high = band
    return Draw("uniform", low, high, source=f"{source} ({low:+.0%} to {high:+.0%} of the estimated time)")


def chunk_sizes(samples: int) -> list[int]:
    """Futures per chunk, in order."""
    return [min(CHUNK, samples - start) for start in range(0, samples, CHUNK)]


def sample_chunk(draws: dict[str, Draw], seed: int, index: int, n: int) -> dict[str, np.ndarray]:
    """The `index`-th chunk of `n` futures: name -> draws, from the chunk's own child seed."""
    child = np.random.SeedSequence(seed, spawn_key=(index,))
    rng = np.random.Generator(np.random.PCG64(child))
    return {name: draws[name].sample(rng, n) for name in sorted(draws)}
