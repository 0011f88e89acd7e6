"""Process-wide counters and a latency histogram, rendered in the Prometheus text format.

A few dozen lines instead of prometheus_client: the core records three things per message and
/metrics renders them; the registry is module-level because there is one assistant per process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

LabelValues = tuple[str, ...]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(names: Iterable[str], values: Iterable[str], extra: str = "") -> str:
    parts = [f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True)]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class Counter:
    def __init__(self, name: str, help_text: str, labels: tuple[str, ...] = ()) -> None:
        self.name, self.help, self.label_names = name, help_text, labels
        self.values: dict[LabelValues, float] = defaultdict(float)

    def inc(self, *values: str, amount: float = 1.0) -> None:
        self.values[values] += amount

    def get(self, *values: str) -> float:
        return self.values.get(values, 0.0)

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        for values, total in sorted(self.values.items()):
            lines.append(f"{self.name}{_labels(self.label_names, values)} {_number(total)}")
        return lines


class Histogram:
    def __init__(self, name: str, help_text: str, buckets: tuple[float, ...]) -> None:
        self.name, self.help, self.buckets = name, help_text, buckets
        self.counts = [0] * len(buckets)
        self.count = 0
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.count += 1
        self.sum += value
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        for bound, n in zip(self.buckets, self.counts, strict=True):
            lines.append(f'{self.name}_bucket{{le="{_number(bound)}"}} {n}')
        lines += [f'{self.name}_bucket{{le="+Inf"}} {self.count}', f"{self.name}_sum {self.sum!r}",
                  f"{self.name}_count {self.count}"]
        return lines


REQUESTS = Counter("dx10_requests_total", "Messages and button presses handled, by adapter.", ("adapter",))
ANSWERS = Counter("dx10_answers_total", "Classified messages by intent and whether they were answered.",
                  ("intent", "answered"))
LATENCY = Histogram("dx10_handle_seconds", "Time the core took to handle one message or button press.",
                    (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5))


def unanswered_share() -> float | None:
    total = sum(ANSWERS.values.values())
    if not total:
        return None
    return sum(n for (_, answered), n in ANSWERS.values.items() if answered == "false") / total


def render(extra: Iterable[str] = ()) -> str:
    lines = [*REQUESTS.render(), *ANSWERS.render()]
    share = unanswered_share()
    lines += ["# HELP dx10_unanswered_share Share of classified messages not answered since start.",
              "# TYPE dx10_unanswered_share gauge", f"dx10_unanswered_share {_number(share) if share is not None else 'NaN'}"]
    lines += LATENCY.render()
    lines += list(extra)
    return "\n".join(lines) + "\n"
