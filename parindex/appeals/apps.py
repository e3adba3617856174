from django.apps import AppConfig


class AppealsConfig(AppConfig):
    """Appeals after publication (kiến nghị): a unit's leader asks, within the period's
    window, for specific criteria to be reviewed; the organizer accepts (the score corrected,
    the results recomputed, a new published version with a change note) or rejects."""

    name = "parindex.appeals"
    label = "appeals"
    verbose_name = "Kiến nghị sau công bố"

    def ready(self) -> None:
        from parindex.appeals.services import archive_blocker
        from parindex.periods.services import CLOSE_CHECKS

        if archive_blocker not in CLOSE_CHECKS:
            CLOSE_CHECKS.append(archive_blocker)
