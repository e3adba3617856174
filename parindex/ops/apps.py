from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "parindex.ops"
    label = "ops"
    verbose_name = "Vận hành (nhật ký, sức khỏe, worker)"

    def ready(self) -> None:
        from django.conf import settings
        from django_tasks.signals import task_finished, task_started

        from parindex.ops import receivers

        task_started.connect(receivers.on_task_started, dispatch_uid="ops.heartbeat.started")
        task_finished.connect(receivers.on_task_finished, dispatch_uid="ops.heartbeat.finished")
        if getattr(settings, "METRICS", False):
            from parindex.ops.metrics import register_collectors

            register_collectors()
