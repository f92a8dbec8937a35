"""Percentiles and the machine a figure was measured on."""

from __future__ import annotations

import os
import platform
import time


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    """n, p50, p95, max, mean (ms or whatever unit the values have), rounded."""
    def r(v):
        return None if v is None else round(v, 1)

    return {"n": len(values), "p50": r(pct(values, 0.5)), "p95": r(pct(values, 0.95)),
            "max": r(max(values) if values else None),
            "mean": r(sum(values) / len(values) if values else None)}


def machine() -> dict:
    """What a figure was measured on: cores, CPU, memory, load (this machine may be shared)."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    mem_gib = None
    try:
        with open("/proc/meminfo") as f:
            mem_gib = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {"host": platform.node(), "cores": os.cpu_count(), "cpu": cpu, "mem_gib": mem_gib,
            "python": platform.python_version(), "load": [round(x, 2) for x in load],
            "at": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def fmt(v, unit: str = "") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        v = f"{v:.0f}" if abs(v) >= 10 else f"{v:.1f}"
    return f"{v}{unit}"
