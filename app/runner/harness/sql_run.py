"""Runs inside the sandbox (python3 -I -S): a read-only SQL query against each seeded dataset.

stdin: {"schema": str, "datasets": [seed SQL, ...], "query": str, "reference": str, "token", "max_rows",
"max_steps"}. Per dataset a fresh in-memory SQLite database is built from schema + seed, then the query
runs under an authorizer that allows only reading (SELECT, READ, FUNCTION, RECURSIVE), a progress handler
that stops it after `max_steps` VM steps, and a row cap. Prints one JSON line per dataset with the rows,
the columns, EXPLAIN QUERY PLAN and the reference query's rows (the server compares).
"""

import json
import sqlite3
import sys
import time

READ_ONLY = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
             getattr(sqlite3, "SQLITE_RECURSIVE", 33)}
ACTIONS = ("CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE", "CREATE_TEMP_TRIGGER",
           "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE", "DROP_INDEX", "DROP_TABLE",
           "DROP_TEMP_INDEX", "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW", "DROP_TRIGGER",
           "DROP_VIEW", "INSERT", "PRAGMA", "READ", "SELECT", "TRANSACTION", "UPDATE", "ATTACH", "DETACH",
           "ALTER_TABLE", "REINDEX", "ANALYZE", "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION", "SAVEPOINT",
           "RECURSIVE")
NAMES = {getattr(sqlite3, "SQLITE_" + a): a for a in ACTIONS if hasattr(sqlite3, "SQLITE_" + a)}
REASONS = {"load_extension": "loading extensions",
           "PRAGMA": "PRAGMA statements", "ATTACH": "ATTACH (other databases)", "DETACH": "DETACH",
           "INSERT": "writes (INSERT)", "UPDATE": "writes (UPDATE)", "DELETE": "writes (DELETE)",
           "TRANSACTION": "transactions"}


def plain(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, bytes):
        return value.hex()
    return value


def run_one(db, sql, max_rows, max_steps, denied):
    steps = [0]

    def progress():
        steps[0] += 1
        return 1 if steps[0] * 1000 > max_steps else 0

    def authorize(action, arg1, arg2, *rest):
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() == "load_extension":
            denied.append("load_extension")
            return sqlite3.SQLITE_DENY
        if action in READ_ONLY:
            return sqlite3.SQLITE_OK
        denied.append(action)
        return sqlite3.SQLITE_DENY

    db.set_authorizer(authorize)
    db.set_progress_handler(progress, 1000)
    try:
        cur = db.execute(sql)
        rows = cur.fetchmany(max_rows + 1)
        columns = [d[0] for d in cur.description or ()]
        cut = len(rows) > max_rows
        return {"rows": [[plain(v) for v in r] for r in rows[:max_rows]], "columns": columns, "cut": cut}
    except sqlite3.Warning as exc:  # e.g. "You can only execute one statement at a time."
        return {"error": f"{exc}", "status": "error"}
    except MemoryError:
        return {"status": "memory", "error": "memory limit: the query built more data than allowed"}
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "out of memory" in text or "disk I/O error" in text or "too big" in text:
            return {"status": "memory", "error": "memory limit: the query built more data than allowed"}
        if denied:
            name = NAMES.get(denied[0], str(denied[0]))
            return {"status": "not_allowed",
                    "error": f"not allowed: {REASONS.get(name, name)}; only read-only queries run here"}
        if text == "interrupted":
            return {"status": "steps", "error": "step limit: the query did too much work (a recursive "
                    "query that never ends, or a join of everything with everything?)"}
        return {"status": "error", "error": f"{type(exc).__name__}: {text}"}
    finally:
        db.set_authorizer(None)
        db.set_progress_handler(None, 1000)


def main():
    req = json.loads(sys.stdin.read())
    token, max_rows, max_steps = req["token"], req["max_rows"], req["max_steps"]
    query = req["query"].strip().rstrip(";").strip()
    for i, seed in enumerate(req["datasets"]):
        db = sqlite3.connect(":memory:", isolation_level=None)
        db.execute("PRAGMA temp_store = MEMORY")  # big intermediate results hit the memory limit, not a file
        db.executescript(req["schema"])
        db.executescript(seed)
        started = time.perf_counter()
        result = run_one(db, query, max_rows, max_steps, [])
        result["ms"] = round((time.perf_counter() - started) * 1000, 3)
        result.setdefault("status", "ok")
        if result["status"] == "ok":
            if result.pop("cut"):
                result.update(status="rows", error=f"over {max_rows} rows: the result was cut")
            plan = run_one(db, "EXPLAIN QUERY PLAN " + query, 200, max_steps, [])
            result["plan"] = [f"{'  ' * _depth(r, plan['rows'])}{r[-1]}" for r in plan.get("rows", [])]
        reference = run_one(db, req["reference"], max_rows, max_steps * 10, [])
        result["expected"] = reference.get("rows")
        result["expected_columns"] = reference.get("columns")
        result.update(i=i, token=token)
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
        db.close()


def _depth(row, rows):
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents and depth < 20:
        depth, parent = depth + 1, parents[parent]
    return depth


main()
