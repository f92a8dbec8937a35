"""Hostile candidate code gets a clear result and harms nothing: one test per snippet (issue 21)."""

import asyncio
from pathlib import Path

import pytest

from app.runner import exercises, judge, sandbox
from tests.runner.conftest import FAST

pytestmark = pytest.mark.usefixtures("needs_sandbox")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two_sum():
    return exercises.load_all(ROOT / "prompts")["two_sum_variants"]


def run(ex, code, language="python", mode="run", limits=FAST):
    return asyncio.run(judge.run_code(ex, language, code, mode, limits))


def wrap(body: str) -> str:
    return "def two_sum(nums, target):\n" + "\n".join("    " + line for line in body.splitlines()) + "\n"


def test_an_infinite_loop_hits_the_time_limit(two_sum):
    result = run(two_sum, wrap("while True:\n    pass"))
    assert result.status == "failed"
    assert result.cases[0].status == "timeout" and "time limit" in result.cases[0].error
    assert result.cases[1].status == "not_run"


def test_an_infinite_loop_in_javascript_hits_the_time_limit_per_case(two_sum):
    result = run(two_sum, "function twoSum(nums, target) { while (true) {} }", language="javascript",
                 limits=sandbox.Limits(wall_s=8.0, cpu_s=7))
    assert [c.status for c in result.cases] == ["timeout", "timeout"]


def test_a_fork_bomb_is_refused_by_the_harness(two_sum):
    result = run(two_sum, "import os\n" + wrap("while True:\n    os.fork()"))
    assert result.status == "failed"
    assert all(c.status == "not_allowed" for c in result.cases)
    assert "import os is not allowed" in result.cases[0].error


def test_a_fork_bomb_past_the_harness_is_stopped_by_the_process_limit():
    """The guard bypassed (raw python in the sandbox): fork fails after a handful of processes."""
    code = ("import os\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            import time\n"
            "            time.sleep(5)\n            os._exit(0)\n        n += 1\nexcept OSError as e:\n"
            "    print('stopped', n, e.errno)\n")
    out = asyncio.run(sandbox.run([sandbox.python_path(), "-I", "-S", "-c", code], b"", FAST))
    words = out.stdout.split()
    assert words[0] == b"stopped" and int(words[1]) < FAST.processes


def test_a_memory_bomb_hits_the_memory_limit(two_sum):
    result = run(two_sum, wrap("blocks = []\nwhile True:\n    blocks.append(bytearray(50_000_000))"))
    assert result.cases[0].status == "memory" and "memory limit" in result.cases[0].error


def test_a_memory_bomb_in_javascript_hits_the_memory_limit(two_sum):
    code = "function twoSum(nums, target) { const a = []; while (true) a.push(new Array(1e6).fill(1)); }"
    result = run(two_sum, code, language="javascript", limits=sandbox.Limits(wall_s=15.0, cpu_s=14))
    assert result.cases[0].status == "memory"


def test_huge_output_is_cut_and_the_case_still_judged(two_sum):
    result = run(two_sum, wrap("for i in range(200_000):\n    print('x' * 100)\nreturn [0, 1]"))
    first = result.cases[0]
    assert first.status == "passed" and first.out.endswith("[output cut]") and len(first.out) < 5000


def test_huge_output_past_the_harness_hits_the_output_limit():
    code = "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n"
    out = asyncio.run(sandbox.run([sandbox.python_path(), "-I", "-S", "-c", code], b"", FAST))
    assert out.output_cut and len(out.stdout) <= FAST.output_bytes
    assert judge._crash_status(out)[0] in ("output", "timeout")


def test_reading_etc_passwd_is_not_allowed(two_sum):
    result = run(two_sum, wrap("return open('/etc/passwd').read()"))
    assert result.cases[0].status == "not_allowed" and "file access is not allowed" in result.cases[0].error


def test_the_sandbox_holds_no_passwd_file_and_no_repository():
    code = (f"import os\nprint(os.path.exists('/etc/passwd'), os.path.exists({str(ROOT)!r}), "
            "os.path.exists('/root'), sorted(os.listdir('/')))")
    out = asyncio.run(sandbox.run([sandbox.python_path(), "-I", "-S", "-c", code], b"", FAST))
    assert out.stdout.startswith(b"False False False"), out.stdout + out.stderr


def test_the_file_system_is_read_only_but_for_a_small_tmp():
    code = ("import os\ntry:\n    open('/usr/x', 'w')\nexcept OSError as e:\n    print('ro', e.errno)\n"
            "open('/tmp/ok', 'w').write('1')\ntry:\n    open('/tmp/big', 'wb').write(b'x' * 5_000_000)\n"
            "except OSError as e:\n    print('fsize', e.errno)\n")
    out = asyncio.run(sandbox.run([sandbox.python_path(), "-I", "-S", "-c", code], b"", FAST))
    assert out.stdout.startswith(b"ro ") and (b"fsize" in out.stdout or out.killed_by == "SIGXFSZ")


def test_opening_a_socket_is_not_allowed(two_sum):
    result = run(two_sum, "import socket\n" + wrap("return [0, 1]"))
    assert result.cases[0].status == "not_allowed" and "import socket is not allowed" in result.cases[0].error


def test_the_sandbox_has_no_network():
    code = ("import socket\ns = socket.socket()\ns.settimeout(2)\ntry:\n    s.connect(('1.1.1.1', 80))\n"
            "    print('connected')\nexcept OSError as e:\n    print('no network', e.errno)\n")
    out = asyncio.run(sandbox.run([sandbox.python_path(), "-I", "-S", "-c", code], b"", FAST))
    assert out.stdout.startswith(b"no network"), out.stdout


@pytest.mark.parametrize("code", [
    "import subprocess\n" + wrap("return subprocess.run(['ls'])"),
    wrap("import os\nos.system('ls /')\nreturn [0, 1]"),
    wrap("return __import__('os').listdir('/')"),
])
def test_importing_os_or_subprocess_to_run_a_command_is_not_allowed(two_sum, code):
    result = run(two_sum, code)
    assert result.status == "failed"
    assert result.cases[0].status == "not_allowed" and "is not allowed" in result.cases[0].error


def test_require_in_javascript_is_not_allowed(two_sum):
    code = "function twoSum(nums, target) { return require('child_process').execSync('ls').toString(); }"
    result = run(two_sum, code, language="javascript")
    assert result.cases[0].status == "not_allowed"


def test_a_syntax_error_is_reported_with_its_line(two_sum):
    result = run(two_sum, "def two_sum(nums, target):\n    return [0, 1\n")
    assert result.status == "error" and "SyntaxError" in result.message and "line" in result.message


def test_stray_output_cannot_pass_for_a_result(two_sum):
    fake = '{"token": "x", "i": 0, "status": "ok", "value": [0, 1]}'
    result = run(two_sum, wrap(f"print({fake!r})\nreturn [5, 5]"))
    assert result.cases[0].status == "failed"


def test_other_runs_go_on_while_a_hostile_one_runs(two_sum):
    """A hostile run occupies one worker; a correct run beside it finishes, and the event loop stays free."""
    from app.runner.pool import RunPool

    async def scenario():
        pool = RunPool(workers=2)
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.05)
                ticks += 1

        t = asyncio.create_task(ticker())
        bad = asyncio.create_task(pool.run("a", lambda: judge.run_code(
            two_sum, "python", wrap("while True:\n    pass"), "run", FAST)))
        await asyncio.sleep(0.2)
        good = await pool.run("b", lambda: judge.run_code(two_sum, "python", two_sum.reference["python"],
                                                           "submit", FAST))
        good_done_while_bad_running = not bad.done()
        bad_result = await bad
        t.cancel()
        return good, good_done_while_bad_running, bad_result, ticks

    good, overlapped, bad, ticks = asyncio.run(scenario())
    assert good.status == "passed" and overlapped, good
    assert bad.cases[0].status == "timeout"
    assert ticks >= 10  # the loop kept ticking through both runs


def test_the_cpu_limit_reads_as_the_time_limit_on_a_quiet_machine(two_sum):
    """The CPU limit fires well before the wall clock (as on an idle machine): still "time limit"."""
    result = run(two_sum, wrap("while True:\n    pass"), limits=sandbox.Limits(wall_s=30.0, cpu_s=1))
    assert result.cases[0].status == "timeout" and "time limit" in result.cases[0].error
