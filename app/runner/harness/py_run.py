"""Runs inside the sandbox (python3 -I -S): the candidate's function on each case, one JSON line per case.

stdin: {"code": str, "function": str, "cases": [[arg, ...], ...], "token": str, "design": bool}
A design exercise names a class: each case is [[["<init>", arg...], ["method", arg...], ...]] and its value
the list of what each call returned (None for the constructor).
stdout: {"token", "i", "status": "ok"|"error"|"not_allowed"|"memory"|"missing", "value"?, "error"?, "ms", "out"}
The expected values never come here: the server compares. Imports from the candidate's code are limited to
an allow-list of pure standard-library modules and `open` is refused; the sandbox is the real boundary.
"""

import builtins
import copy
import json
import sys
import time

ALLOWED = {"collections", "heapq", "itertools", "functools", "math", "bisect", "re", "typing", "dataclasses",
           "string", "operator", "copy", "random", "statistics", "fractions", "decimal", "enum", "array",
           "queue", "abc", "numbers", "cmath", "textwrap", "unicodedata", "datetime", "json", "__future__"}
OUT_CAP = 4000


class NotAllowed(Exception):
    pass


_real_import = builtins.__import__


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    caller = globals if globals is not None else sys._getframe(1).f_globals  # __import__("os") passes None
    if caller.get("__name__") == "__candidate__" and name.split(".")[0] not in ALLOWED:
        raise NotAllowed(f"import {name} is not allowed here (standard library data structures and math only)")
    return _real_import(name, globals, locals, fromlist, level)


def _no_open(*args, **kwargs):
    raise NotAllowed("file access is not allowed here")


class _Capture:
    def __init__(self):
        self.parts, self.size = [], 0

    def write(self, text):
        if self.size < OUT_CAP:
            self.parts.append(text[:OUT_CAP - self.size])
        self.size += len(text)
        return len(text)

    def flush(self):
        pass

    def text(self):
        out = "".join(self.parts)
        return out + ("\n[output cut]" if self.size > OUT_CAP else "")


def _plain(value, depth=0):
    if depth > 50:
        return repr(value)[:200]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else repr(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [_plain(v, depth + 1) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    return repr(value)[:200]


def main():
    request = json.loads(sys.stdin.read())
    sys.stdin.close()
    real_out = sys.stdout
    token = request["token"]

    def emit(record):
        record["token"] = token
        real_out.write(json.dumps(record) + "\n")
        real_out.flush()

    sys.setrecursionlimit(20000)
    namespace = {"__name__": "__candidate__", "__builtins__": builtins}
    adapter = None
    if request.get("prelude"):  # the exercise's own helpers (a TreeNode class...) and its __adapter__
        helpers = {"__name__": "__prelude__", "__builtins__": builtins}
        exec(compile(request["prelude"], "prelude", "exec"), helpers)
        adapter = helpers.pop("__adapter__")
        namespace.update({k: v for k, v in helpers.items() if not k.startswith("__")})
    builtins.__import__ = _guarded_import
    builtins.open = _no_open
    capture = _Capture()
    sys.stdout = sys.stderr = capture
    try:
        exec(compile(request["code"], "solution", "exec"), namespace)
        fn = namespace.get(request["function"])
        load_error = None if callable(fn) else f"no function named {request['function']} was defined"
    except NotAllowed as exc:
        load_error, fn = f"not allowed: {exc}", None
    except MemoryError:
        load_error, fn = "memory", None
    except BaseException as exc:  # noqa: BLE001 - syntax errors, anything at load time
        load_error, fn = _describe(exc), None
    if fn is None:
        status = "not_allowed" if load_error.startswith("not allowed") else \
            "memory" if load_error == "memory" else "missing" if load_error.startswith("no function") else "error"
        emit({"i": -1, "status": status, "error": load_error, "out": capture.text()})
        return
    for i, args in enumerate(request["cases"]):
        capture = _Capture()
        sys.stdout = sys.stderr = capture
        started = time.perf_counter()
        try:
            if adapter is not None:
                value = adapter(fn, *copy.deepcopy(args))
            elif request.get("design"):
                value = _design(fn, args[0])
            else:
                value = fn(*copy.deepcopy(args))
            record = {"status": "ok", "value": _plain(value)}
        except NotAllowed as exc:
            record = {"status": "not_allowed", "error": f"not allowed: {exc}"}
        except (MemoryError, RecursionError) as exc:
            record = {"status": "memory" if isinstance(exc, MemoryError) else "error", "error": _describe(exc)}
        except BaseException as exc:  # noqa: BLE001 - the candidate's exception is a result
            record = {"status": "error", "error": _describe(exc)}
        record.update(i=i, ms=round((time.perf_counter() - started) * 1000, 3), out=capture.text())
        emit(record)


def _design(cls, calls):
    calls = copy.deepcopy(calls)
    obj = cls(*calls[0][1:])
    return [None] + [getattr(obj, name)(*args) for name, *args in calls[1:]]


def _describe(exc):
    if isinstance(exc, SyntaxError):
        return f"SyntaxError: {exc.msg} (line {exc.lineno})"
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "solution":
            line = tb.tb_lineno
        tb = tb.tb_next
    where = f" (line {line})" if line else ""
    return f"{type(exc).__name__}: {str(exc)[:300]}{where}"


main()
