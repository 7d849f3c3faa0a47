"""Background work recorded in the database (see core/tasks.py)."""

from django.conf import settings
from django.db import models
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _


class TaskRecord(models.Model):
    """One enqueued run of a django.tasks Task, its progress and its outcome.

    Written by `core.tasks.DatabaseBackend`, claimed and run by `encuentros worker`."""

    Status = TaskResultStatus

    id = models.CharField(primary_key=True, max_length=32, editable=False)
    task_path = models.CharField(_("task"), max_length=300)
    label = models.CharField(_("description"), max_length=300, blank=True)
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, db_index=True,
        help_text=_("What the task works on, e.g. seating:12; one active task per subject."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                              null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="task_records")
    is_public = models.BooleanField(
        _("public"), default=False,
        help_text=_("Anyone may follow its progress (work on public pages, like the atlas)."))
    queue_name = models.CharField(_("queue"), max_length=100, default="default")
    priority = models.SmallIntegerField(_("priority"), default=0)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskResultStatus.choices,
                              default=TaskResultStatus.READY, db_index=True)
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    run_after = models.DateTimeField(_("run after"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    last_attempted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker_ids = models.JSONField(default=list, blank=True)
    return_value = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    progress_message = models.CharField(_("progress"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-enqueued_at"]
        indexes = [models.Index(fields=["status", "queue_name", "-priority", "enqueued_at"],
                                name="core_task_claim_idx")]

    def __str__(self):
        return self.label or self.task_path

    @property
    def status_label(self):
        """Django's own labels read oddly here ("Ready" for a task that has not started)."""
        return {
            TaskResultStatus.READY: _("In the queue"),
            TaskResultStatus.RUNNING: _("Running"),
            TaskResultStatus.FAILED: _("Failed"),
            TaskResultStatus.SUCCESSFUL: _("Finished"),
        }.get(self.status, self.status)

    @property
    def is_finished(self):
        return self.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)

    @property
    def percent(self):
        if self.status == TaskResultStatus.SUCCESSFUL:
            return 100
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def result_url(self):
        value = self.return_value
        return value.get("url") if isinstance(value, dict) else None

    @property
    def error_message(self):
        """The user-facing message of a failure (the last error's `message`), if any."""
        for error in reversed(self.errors or []):
            if error.get("message"):
                return error["message"]
        return ""
