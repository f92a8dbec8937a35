"""Running candidate code and SQL: out of the server process, in a bubblewrap sandbox (docs/code-runs.md).

    exercises.py  the runnable form of a question (signatures, examples, hidden tests, reference, seed data)
    sandbox.py    one sandboxed process: no network, read-only minimal file system, rlimits, wall clock
    harness/      the scripts that run inside it (Python, JavaScript, SQL) and print one JSON line per case
    judge.py      request in, RunResult out (compares with the expected values, which never enter the sandbox)
    pool.py       a bounded pool of runs shared by every session, with a per-session rate limit
"""
