from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "parindex.survey"
    label = "survey"
    verbose_name = "Điều tra xã hội học"

    def ready(self) -> None:
        from parindex.survey.receivers import RECEIVERS
        from parindex.survey.signals import survey_changed

        for uid, receiver in RECEIVERS:
            survey_changed.connect(receiver, dispatch_uid=uid)

        from parindex.appraisal.signals import appraisal_changed
        from parindex.survey.receivers import FREEZE_DISPATCH_UID, on_appraisal_changed_freeze

        appraisal_changed.connect(on_appraisal_changed_freeze, dispatch_uid=FREEZE_DISPATCH_UID)

        from parindex.periods.services import CLOSE_CHECKS
        from parindex.survey.services.lifecycle import archive_blocker

        if archive_blocker not in CLOSE_CHECKS:
            CLOSE_CHECKS.append(archive_blocker)
