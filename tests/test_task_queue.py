"""Background tasks on RQ (cms/tasks.py) with a Redis of the test's own and real workers
(`manage.py rqworker`), started and killed by PID: a task whose worker is killed is done
later by another, e-mail leaves through the worker, a download of the open data never waits
for a rebuild, and with Redis away a task runs in the request."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.redis_server import RedisServer, require_redis_server
from tests.stack import MANAGE, PROJECT, manage, stop

WORKER = ["rqworker", "default", "--with-scheduler"]  # as deploy/systemd/cms-worker.service


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    require_redis_server()
    tmp = tmp_path_factory.mktemp("queue")
    redis = RedisServer(tmp).start()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp / 'site.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "REDIS_URL": redis.url,
        "TASK_QUEUE": "redis",
        # a killed worker's task is found within seconds, not minutes
        "TASK_HEARTBEAT_SECONDS": "1",
        "TASK_HEARTBEAT_GRACE_SECONDS": "2",
        "TASK_MAINTENANCE_SECONDS": "1",
        # retried at once: a pause would wait for RQ's scheduler, whose lock the killed worker
        # may hold for two more minutes
        "TASK_RETRY_PAUSES": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp / "mail"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage(env, "migrate", "--no-input")
    yield {"env": env, "tmp": tmp, "redis": redis}
    redis.stop()


def start_worker(queue, name):
    return subprocess.Popen(
        [*MANAGE, *WORKER],
        cwd=PROJECT,
        env=queue["env"],
        stdout=open(queue["tmp"] / f"{name}.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the worker and its work horse
    )


def stop_worker(worker):
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
    stop(worker)


def children(pid):
    """The processes `pid` started (RQ's work horse runs the task in a session of its own)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_outright(worker):
    """SIGKILL the worker and the process running its task, as a crash or the OOM killer
    would: nobody gets to write down what happened."""
    for pid in [worker.pid, *children(worker.pid)]:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=10)


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def lines(path):
    return path.read_text().split() if path.exists() else []


def test_a_task_whose_worker_is_killed_is_done_later_by_another(queue):
    log = queue["tmp"] / "killed.log"
    first = start_worker(queue, "first")
    try:
        manage(
            queue["env"],
            "shell",
            "-c",
            f"from tests.task_probe import note_slowly; note_slowly.enqueue({str(log)!r}, 3)",
        )
        wait_until(lambda: lines(log) == ["start"], 30, "the first worker never started it")
        kill_outright(first)
    finally:
        stop_worker(first)
    assert lines(log) == ["start"]
    second = start_worker(queue, "second")
    try:
        wait_until(lambda: "done" in lines(log), 60, "the task was lost with its worker")
    finally:
        stop_worker(second)
    assert lines(log) == ["start", "start", "done"]


def test_mail_is_sent_by_a_worker_once_the_transaction_commits(queue):
    mail = queue["tmp"] / "mail"
    script = (
        "from django.core.mail import send_mail\n"
        "from django.db import transaction\n"
        "import django_rq\n"
        "with transaction.atomic():\n"
        "    send_mail('Угуулар', 'Текст', 'noreply@example.kg', ['citizen@example.kg'])\n"
        "    print('during', django_rq.get_queue('default').count)\n"
        "print('after', django_rq.get_queue('default').count)\n"
    )
    counts = manage(queue["env"], "shell", "-c", script).split()
    assert counts[-4:] == ["during", "0", "after", "1"]  # queued on commit, not sent yet
    assert not list(mail.glob("*.log")) if mail.exists() else True
    worker = start_worker(queue, "mail")
    try:
        wait_until(lambda: mail.exists() and list(mail.glob("*.log")), 30, "no mail sent")
    finally:
        stop_worker(worker)
    sent = next(mail.glob("*.log")).read_text()
    assert "citizen@example.kg" in sent


def test_a_download_of_the_open_data_never_waits_for_a_rebuild(queue):
    script = (
        "import django_rq\n"
        "from cms import open_data\n"
        "first = open_data.archive_path()\n"
        "open_data.content_state = lambda: 'changed'\n"
        "offered = [open_data.archive_path() for _ in range(3)]\n"
        "print(all(path == first for path in offered), django_rq.get_queue('default').count)\n"
    )
    answer = manage(queue["env"], "shell", "-c", script).split()
    # the archive built before is offered while one rebuild waits for a worker
    assert answer[-2:] == ["True", "1"]
    manage(queue["env"], "shell", "-c", "import django_rq; django_rq.get_queue('default').empty()")


def test_with_redis_away_a_task_runs_in_the_request(queue):
    log = queue["tmp"] / "inline.log"
    queue["redis"].stop()
    try:
        done = subprocess.run(
            [
                *MANAGE,
                "shell",
                "-c",
                f"from tests.task_probe import note_slowly; note_slowly.enqueue({str(log)!r}, 0)",
            ],
            cwd=PROJECT,
            env=queue["env"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        queue["redis"].start()
    assert done.returncode == 0, done.stderr
    assert lines(log) == ["start", "done"]
    assert "Task queue unreachable" in done.stderr
