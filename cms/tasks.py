"""Background work on a real queue, or in the request when there is none.

Django's task framework, through its backport (django-tasks), which Wagtail 8 already uses
for its own background work (search-index and reference-index updates, image focal points,
file deletions): our tasks go the same way. With `REDIS_URL` set (and `TASK_QUEUE` not
`inline`), every task is put on RQ's queue in that Redis and `manage.py rqworker
--with-scheduler` runs it (deploy/systemd/cms-worker.service); without, tasks run in the
request as before, so `make run` needs no extra process.

Why RQ: it needs only the Redis the page cache already uses; a task that fails is retried
(`TASK_RETRIES`, with growing pauses); and a task whose worker was killed is found abandoned
by the next worker's maintenance (`TASK_MAINTENANCE_SECONDS`) and retried too, so no task is
lost. django-tasks' database backend leaves a killed worker's task running for ever; Celery
would bring a second task API beside the one Wagtail uses.

If Redis cannot be reached when a task is queued, the task runs in the request (logged), as
it would without a queue: an outage of Redis slows an editor's save, it does not fail it.
"""

import base64
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django_rq.queues import DjangoRQ
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_rq import RQBackend
from redis.exceptions import RedisError
from rq import Retry
from rq import Worker as RQWorker

logger = logging.getLogger(__name__)


class RetryingQueue(DjangoRQ):
    """RQ's queue, whose jobs are retried when they fail or their worker dies."""

    def create_job(self, *args, retry=None, **kwargs):
        if retry is None and settings.TASK_RETRIES:
            retry = Retry(max=settings.TASK_RETRIES, interval=settings.TASK_RETRY_PAUSES)
        return super().create_job(*args, retry=retry, **kwargs)


class Worker(RQWorker):
    """RQ's worker, with the timings that decide how soon a killed worker's task is taken up
    again: a worker says every TASK_HEARTBEAT_SECONDS that its task runs; a task unheard of
    for TASK_HEARTBEAT_GRACE_SECONDS more is abandoned; every worker looks for abandoned tasks
    every TASK_MAINTENANCE_SECONDS (RQ's own: 30, 60 and 600 seconds)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", settings.TASK_MAINTENANCE_SECONDS)
        kwargs.setdefault("job_monitoring_interval", settings.TASK_HEARTBEAT_SECONDS)
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self):
        # an idle worker waits for a job at most this long before its maintenance is due
        # (RQ's own wait, 405 s, would leave an abandoned task waiting as long)
        return max(1, min(super().dequeue_timeout, self.maintenance_interval))

    def get_heartbeat_ttl(self, job, working_time=0.0):
        beat = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            beat = min(job.timeout - working_time, beat)
        return int(beat) + settings.TASK_HEARTBEAT_GRACE_SECONDS


class QueueBackend(RQBackend):
    """django-tasks-rq's backend, which runs a task in the request when Redis is away."""

    def enqueue(self, task, args, kwargs):
        try:
            return super().enqueue(task, args, kwargs)
        except (RedisError, OSError) as error:
            logger.warning(
                "Task queue unreachable (%s): running %s in the request.", error, task.name
            )
            return ImmediateBackend(self.alias, {}).enqueue(task, args, kwargs)


def queued():
    """Whether tasks go to a worker (else they run where they are queued)."""
    return settings.TASKS["default"]["BACKEND"] == "cms.tasks.QueueBackend"


# E-mail: every message the site sends (workflow notifications, invitations, hearing notices)
# goes through the queue when there is one, once the transaction that caused it commits.


def _serialised(message):
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [
            [name, base64.b64encode(_bytes(content)).decode(), mimetype]
            for name, content, mimetype in message.attachments
        ],
        "content_subtype": message.content_subtype,
    }


def _bytes(content):
    return content.encode() if isinstance(content, str) else content


@task()
def send_email(message):
    """Send one message with the configured backend; an error makes RQ try again later."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        cc=message["cc"],
        bcc=message["bcc"],
        reply_to=message["reply_to"],
        headers=message["headers"],
    )
    email.content_subtype = message["content_subtype"]
    for content, mimetype in message["alternatives"]:
        email.attach_alternative(content, mimetype)
    for name, content, mimetype in message["attachments"]:
        email.attach(name, base64.b64decode(content), mimetype)
    get_connection(settings.QUEUED_EMAIL_BACKEND, fail_silently=False).send_messages([email])


class QueuedEmailBackend(BaseEmailBackend):
    """Puts each message on the task queue (EMAIL_BACKEND while a queue is configured)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            serialised = _serialised(message)
            transaction.on_commit(lambda serialised=serialised: send_email.enqueue(serialised))
        return len(email_messages)
