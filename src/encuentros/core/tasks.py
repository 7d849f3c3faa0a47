"""Background work: a database-backed backend for Django's tasks framework (django.tasks).

Long work (catalog imports, seating plans and matchmaking on large encounters, graph analytics,
PDF reports) is a `@task` in its app's `tasks.py`. Views call `start(task, ...)`, which records a
`TaskRecord` row and returns at once; `encuentros worker` claims READY rows (a conditional UPDATE,
so any number of workers on any number of machines never run one task twice) and runs them.
The page /tasks/<id>/ and `encuentros tasks` show the progress a task reports with
`report_progress(context, done, total, message)`.

Settings: TASKS = {"default": {"BACKEND": "encuentros.core.tasks.DatabaseBackend",
"OPTIONS": {"immediate": False}}}. With `"immediate": True` (the test suite) the task still gets
its row but runs inside `enqueue`, so everything stays synchronous.

Progress goes to the cache (shared between processes: Redis or the file cache) and, when the
task is not inside a transaction, to the row too; the row is always right once a task ends.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import os
import socket
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.db import close_old_connections, connection
from django.db.models import Q
from django.tasks import TaskContext, TaskResult, TaskResultStatus, task, task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string

logger = logging.getLogger("encuentros.tasks")

ACTIVE = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
PROGRESS_KEY = "task-progress:{}"
PROGRESS_DB_INTERVAL = 0.5  # seconds between row updates of one task's progress


@dataclass
class _Meta:
    label: str = ""
    subject: str = ""
    owner_id: int | None = None
    public: bool = False


_meta: contextvars.ContextVar[_Meta | None] = contextvars.ContextVar("task_meta", default=None)


class UserFacingError(Exception):
    """A failure whose message is meant for the person who started the task."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def _record_model():
    from .models import TaskRecord

    return TaskRecord


def _to_result(record, backend_alias: str) -> TaskResult:
    task = import_string(record.task_path)
    result = TaskResult(
        task=task, id=record.pk, status=TaskResultStatus(record.status),
        enqueued_at=record.enqueued_at, started_at=record.started_at,
        finished_at=record.finished_at, last_attempted_at=record.last_attempted_at,
        args=record.args, kwargs=record.kwargs, backend=backend_alias,
        errors=[TaskError(exception_class_path=e.get("exception_class_path", ""),
                          traceback=e.get("traceback", "")) for e in record.errors or []],
        worker_ids=list(record.worker_ids or []))
    object.__setattr__(result, "_return_value", record.return_value)
    return result


class DatabaseBackend(BaseTaskBackend):
    supports_defer = True
    supports_get_result = True
    supports_priority = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.immediate = bool(self.options.get("immediate", False))

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        meta = _meta.get() or _Meta()
        record = _record_model().objects.create(
            id=get_random_string(32), task_path=task.module_path, label=meta.label[:300],
            subject=meta.subject[:200], owner_id=meta.owner_id, is_public=meta.public,
            queue_name=task.queue_name,
            priority=task.priority, args=normalize_json(list(args)),
            kwargs=normalize_json(dict(kwargs)), run_after=task.run_after)
        result = _to_result(record, self.alias)
        task_enqueued.send(type(self), task_result=result)
        if self.immediate:
            execute(record.pk, worker_id=f"immediate:{os.getpid()}")
            record.refresh_from_db()
            result = _to_result(record, self.alias)
        return result

    def get_result(self, result_id):
        try:
            record = _record_model().objects.get(pk=result_id)
        except (_record_model().DoesNotExist, ValueError) as exc:
            raise TaskResultDoesNotExist(result_id) from exc
        return _to_result(record, self.alias)


@contextmanager
def metadata(*, label="", subject="", owner=None, public=False):
    token = _meta.set(_Meta(label=str(label), subject=subject,
                            owner_id=getattr(owner, "pk", None) if owner else None,
                            public=public))
    try:
        yield
    finally:
        _meta.reset(token)


def start(task, *args, label="", subject="", owner=None, public=False, **kwargs):
    """Enqueue `task` unless one for the same subject is already waiting or running.

    Returns the TaskRecord (the existing one when deduplicated)."""
    TaskRecord = _record_model()
    if subject:
        active = (TaskRecord.objects.filter(subject=subject, status__in=ACTIVE)
                  .order_by("-enqueued_at").first())
        if active is not None:
            return active
    if owner is not None and not getattr(owner, "is_authenticated", False):
        owner = None
    with metadata(label=label, subject=subject, owner=owner, public=public):
        result = task.enqueue(*args, **kwargs)
    return TaskRecord.objects.get(pk=result.id)


def latest(subject: str):
    """The most recent task for a subject (None when there was none)."""
    return (_record_model().objects.filter(subject=subject).order_by("-enqueued_at").first())


def report_progress(context: TaskContext | None, done: int, total: int | None = None,
                    message: str = "") -> None:
    """Record how far a task got. Safe to call often; a no-op outside a task."""
    if context is None:
        return
    task_id = context.task_result.id
    message = str(message)[:300]
    cache.set(PROGRESS_KEY.format(task_id), (int(done), total, message, time.time()), 3600)
    now = time.monotonic()
    last = _last_db_write.get(task_id, 0.0)
    finished = total is not None and done >= total
    if connection.in_atomic_block or (now - last < PROGRESS_DB_INTERVAL and not finished):
        return
    _last_db_write[task_id] = now
    _record_model().objects.filter(pk=task_id).update(
        progress_done=int(done), progress_total=total, progress_message=message)


_last_db_write: dict[str, float] = {}


def progress_of(record) -> tuple[int, int | None, str]:
    """(done, total, message) of a task, the freshest of the cache and the row."""
    if record.is_finished:
        return record.progress_done, record.progress_total, record.progress_message
    cached = cache.get(PROGRESS_KEY.format(record.pk))
    if cached:
        done, total, message, _at = cached
        if done >= record.progress_done:
            return done, total, message
    return record.progress_done, record.progress_total, record.progress_message


def percent(record) -> int | None:
    if record.status == TaskResultStatus.SUCCESSFUL:
        return 100
    done, total, _message = progress_of(record)
    if not total:
        return None
    return min(100, round(100 * done / total))


# -- running -------------------------------------------------------------------------------

def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next(queues=None, worker: str = "") -> str | None:
    """Mark the next due READY task RUNNING and return its id (None when there is none).

    The claim is a conditional UPDATE (status still READY), so two workers racing for the
    same row cannot both win; the loser tries the next one."""
    TaskRecord = _record_model()
    now = timezone.now()
    due = TaskRecord.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after__isnull=True) | Q(run_after__lte=now))
    if queues:
        due = due.filter(queue_name__in=list(queues))
    for task_id in due.order_by("-priority", "enqueued_at").values_list("pk", flat=True)[:20]:
        won = TaskRecord.objects.filter(pk=task_id, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING, started_at=now, last_attempted_at=now)
        if won:
            return task_id
    return None


def execute(task_id: str, worker_id: str = "") -> str:
    """Run one task (claiming it if it is still READY); returns its final status."""
    TaskRecord = _record_model()
    now = timezone.now()
    TaskRecord.objects.filter(pk=task_id, status=TaskResultStatus.READY).update(
        status=TaskResultStatus.RUNNING, started_at=now, last_attempted_at=now)
    record = TaskRecord.objects.get(pk=task_id)
    record.worker_ids = [*(record.worker_ids or []), worker_id]
    record.save(update_fields=["worker_ids"])
    backend = task_backends["default"]
    result = _to_result(record, backend.alias)
    task_started.send(type(backend), task_result=result)
    errors = list(record.errors or [])
    try:
        task = import_string(record.task_path)
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *record.args, **record.kwargs)
        else:
            value = task.call(*record.args, **record.kwargs)
        value = normalize_json(value)
    except KeyboardInterrupt:
        TaskRecord.objects.filter(pk=task_id).update(status=TaskResultStatus.READY)
        raise
    except Exception as exc:  # the task failed: keep why, for the page and the log
        logger.exception("task %s (%s) failed", task_id, record.task_path)
        errors.append({
            "exception_class_path": f"{type(exc).__module__}.{type(exc).__qualname__}",
            "traceback": "".join(traceback.format_exception(exc)),
            "message": exc.message if isinstance(exc, UserFacingError) else "",
        })
        status, value = TaskResultStatus.FAILED, None
    else:
        status = TaskResultStatus.SUCCESSFUL
    done, total, message = progress_of(record)
    if status == TaskResultStatus.SUCCESSFUL and total:
        done = total
    TaskRecord.objects.filter(pk=task_id).update(
        status=status, finished_at=timezone.now(), return_value=value, errors=errors,
        progress_done=done, progress_total=total, progress_message=message)
    _last_db_write.pop(task_id, None)
    from . import pagecache

    pagecache.bump()  # a task may have written in bulk (no signals): public lists are stale
    record.refresh_from_db()
    task_finished.send(type(backend), task_result=_to_result(record, backend.alias))
    return status


def _tidy_connections() -> None:
    """As after a request: honour CONN_MAX_AGE and drop broken connections. Never inside a
    transaction (a worker run from a test, or from code that holds one): closing would end it."""
    if not connection.in_atomic_block:
        close_old_connections()


def run_worker(*, queues=None, once=False, max_tasks=None, sleep=1.0, stop=None,
               on_task=None) -> int:
    """The loop of `encuentros worker`; returns how many tasks it ran."""
    me = worker_id()
    ran = 0
    while stop is None or not stop():
        task_id = claim_next(queues, me)
        if task_id is None:
            if once:
                break
            _tidy_connections()
            time.sleep(sleep)
            continue
        if on_task:
            on_task("start", task_id)
        status = execute(task_id, me)
        _tidy_connections()
        ran += 1
        if on_task:
            on_task(status, task_id)
        if max_tasks and ran >= max_tasks:
            break
    return ran


def requeue_stale(older_than_seconds: int) -> int:
    """Put back RUNNING tasks whose worker vanished (started long ago, never finished)."""
    limit = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return _record_model().objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=limit).update(
        status=TaskResultStatus.READY, started_at=None)


@task(takes_context=True)
def probe(context, steps: int = 3, fail: str = ""):
    """A task that only reports progress: `encuentros tasks --probe` checks that a worker runs
    (and the tests exercise the machinery with it). `fail` makes it fail with that message."""
    for done in range(steps + 1):
        report_progress(context, done, steps, f"step {done}")
    if fail:
        raise UserFacingError(fail)
    return {"steps": steps, "worker": worker_id()}
