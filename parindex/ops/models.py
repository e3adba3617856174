"""Operational records: the worker's heartbeat and the runs of the periodic jobs."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a worker process started or finished a task (one row per worker host and
    backend; django-tasks-db's worker keeps no heartbeat of its own)."""

    worker = models.CharField("worker", max_length=200, unique=True)
    seen_at = models.DateTimeField("lần cuối hoạt động")
    last_task = models.CharField("tác vụ gần nhất", max_length=300, blank=True)
    tasks_done = models.PositiveBigIntegerField("số tác vụ đã chạy", default=0)

    class Meta:
        verbose_name = "nhịp của worker"
        verbose_name_plural = "nhịp của worker"

    def __str__(self) -> str:
        return f"{self.worker} {self.seen_at:%d/%m/%Y %H:%M}"


class JobRun(models.Model):
    """One run of a periodic job (``send_reminders``, ``appraisal_reminders``)."""

    job = models.CharField("công việc", max_length=80, db_index=True)
    started_at = models.DateTimeField("bắt đầu")
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    ok = models.BooleanField("thành công", null=True)
    summary = models.TextField("kết quả", blank=True)

    class Meta:
        verbose_name = "lần chạy công việc định kỳ"
        verbose_name_plural = "các lần chạy công việc định kỳ"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%d/%m/%Y %H:%M}"


class PendingTask(models.Model):
    """A task the web could not hand to the queue (Redis unreachable when the write's
    ``on_commit`` enqueued it). Kept here, in the database that already holds the write, and
    handed to the queue as soon as Redis answers again (``services.pending_tasks_drain``):
    after the next successful enqueue, after each task the worker runs, and by
    ``manage.py drain_tasks``. At least once: a crash between the hand-over and the row's
    deletion queues the task twice, never zero times."""

    task_path = models.CharField("tác vụ", max_length=300)
    args = models.JSONField("đối số", default=list)
    kwargs = models.JSONField("đối số có tên", default=dict)
    queue_name = models.CharField("hàng đợi", max_length=100, default="default")
    priority = models.IntegerField("ưu tiên", default=0)
    run_after = models.DateTimeField("chạy sau", null=True, blank=True)
    created_at = models.DateTimeField("lúc giữ lại", db_index=True)
    attempts = models.PositiveIntegerField("số lần thử đưa vào hàng đợi", default=0)
    last_error = models.CharField("lỗi gần nhất", max_length=300, blank=True)

    class Meta:
        verbose_name = "tác vụ chờ đưa vào hàng đợi"
        verbose_name_plural = "các tác vụ chờ đưa vào hàng đợi"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_path} ({self.created_at:%d/%m/%Y %H:%M})"
