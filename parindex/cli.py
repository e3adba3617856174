"""The ``parindex`` command.

``parindex score ...`` and ``parindex survey ...`` run the pure scoring engine (no Django is
imported, so they start fast).
Every other sub-command is a Django management command (``parindex demo``, ``parindex migrate``…);
``parindex publish-data`` is the command ``publish_data``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "score":
        from parindex.engine.cli import main as score_main

        return score_main(args[1:])
    if args and args[0] == "survey":
        from parindex.engine.cli import survey_main

        return survey_main(args[1:])
    if args and args[0] == "publish-data":  # the management command publish_data
        args[0] = "publish_data"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["parindex", *args])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
