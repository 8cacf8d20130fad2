"""A task for the queue tests: notes each start and each finish in a file, so a test sees a
task begin, its worker killed, and the task done later by another worker."""

import time
from pathlib import Path

from django_tasks import task


@task()
def note_slowly(path, seconds):
    log = Path(path)
    with log.open("a") as stream:
        stream.write("start\n")
    time.sleep(seconds)
    with log.open("a") as stream:
        stream.write("done\n")
