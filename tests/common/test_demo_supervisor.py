"""The demo's supervisor: the worker is restarted with a back-off, the web server's death stops
the demo, the port check ignores the previous run's TIME_WAIT connections (SO_REUSEADDR)."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

import pytest

from parindex.demo.management.commands.demo import Child, Supervisor, port_is_free

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _supervisor(messages: list[str], **kwargs) -> Supervisor:
    supervisor = Supervisor(
        children=[
            Child("gunicorn", "máy chủ web", SLEEPER, restart=False),
            Child("db_worker", "tiến trình nền", SLEEPER, restart=True),
        ],
        env=dict(os.environ),
        log=messages.append,
        **kwargs,
    )
    supervisor.start_all()
    return supervisor


def _poll_until(supervisor: Supervisor, done, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    result = None
    while time.monotonic() < deadline:
        result = supervisor.poll()
        if result is not None or done():
            return result
        time.sleep(0.05)
    return result


def test_a_killed_worker_is_started_again_after_a_pause():
    messages: list[str] = []
    supervisor = _supervisor(messages, backoff=(0.2, 0.5))
    web, worker = supervisor.children
    try:
        first = worker.proc
        first.kill()
        first.wait()
        assert _poll_until(supervisor, lambda: worker.proc is not first) is None
        assert worker.proc is not first and worker.proc.poll() is None
        assert web.proc.poll() is None
        assert messages[0] == (
            f"Tiến trình nền (db_worker) đã dừng (mã -{signal.SIGKILL.value}): "
            "khởi động lại sau 0,2 giây (lần 1)."
        )
        assert messages[1] == "Đã khởi động lại tiến trình nền (db_worker)."

        second = worker.proc
        second.kill()
        second.wait()
        assert _poll_until(supervisor, lambda: worker.proc is not second) is None
        assert "khởi động lại sau 0,5 giây (lần 2)" in messages[2]
    finally:
        supervisor.stop(timeout=5)
    assert all(c.proc.poll() is not None for c in supervisor.children)


def test_a_worker_that_keeps_dying_stops_the_demo_with_a_clear_message():
    messages: list[str] = []
    supervisor = _supervisor(messages, backoff=(0.05,), max_quick_deaths=2)
    worker = supervisor.children[1]
    worker.argv = [sys.executable, "-c", "raise SystemExit(3)"]
    try:
        worker.proc.kill()
        failed = _poll_until(supervisor, lambda: False)
    finally:
        supervisor.stop(timeout=5)
    assert (
        failed == "Tiến trình nền (db_worker) dừng 3 lần liên tiếp (lần cuối mã 3): xem lỗi ở trên."
    )
    assert len([m for m in messages if m.startswith("Đã khởi động lại")]) == 2


def test_the_count_of_quick_deaths_starts_over_after_a_stable_run():
    messages: list[str] = []
    now = [1000.0]
    supervisor = _supervisor(messages, clock=lambda: now[0], backoff=(1, 2, 5))
    worker = supervisor.children[1]
    try:
        for expected in ("sau 1 giây (lần 1)", "sau 2 giây (lần 2)", "sau 1 giây (lần 1)"):
            worker.proc.kill()
            worker.proc.wait()
            assert supervisor.poll() is None
            assert expected in messages[-1]
            now[0] += 10
            assert supervisor.poll() is None
            assert messages[-1] == "Đã khởi động lại tiến trình nền (db_worker)."
            if expected.endswith("(lần 2)"):
                now[0] += 120  # then it runs two minutes: the next death is not a quick one
    finally:
        supervisor.stop(timeout=5)


def test_when_the_web_server_dies_the_demo_stops_and_stops_the_worker():
    messages: list[str] = []
    supervisor = _supervisor(messages)
    web, worker = supervisor.children
    web.proc.send_signal(signal.SIGTERM)
    web.proc.wait()
    failed = _poll_until(supervisor, lambda: False, seconds=5)
    assert failed == f"Máy chủ web (gunicorn) đã dừng (mã -{signal.SIGTERM.value})."
    supervisor.stop(timeout=5)
    assert worker.proc.poll() is not None
    assert messages == []


def _time_wait_port() -> int:
    """A port whose listener is gone but whose server side is in TIME_WAIT (it closed first)."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        served, _ = listener.accept()
        served.close()  # the server closes first: its side goes to TIME_WAIT
        time.sleep(0.05)
        client.close()
    return port


def test_a_port_left_in_time_wait_by_the_previous_run_is_free():
    port = _time_wait_port()
    with socket.socket() as plain:  # what the check did before: refused
        with pytest.raises(OSError):
            plain.bind(("127.0.0.1", port))
    assert port_is_free("127.0.0.1", port) is None


def test_a_port_someone_listens_on_is_busy():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        assert port_is_free("127.0.0.1", port) == "Address already in use"
