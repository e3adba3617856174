"""What is published.

- ``Publication``: one row per published version of a period's results (1, 2, 3…: a later
  version corrects the results, e.g. after an appeal, and says what changed). ``content`` is
  the frozen copy of what the public pages show — per block the ``parindex.results/v1``
  document, the framework's tree (codes, titles, max) and bands, and the publication
  decision's metadata — so the public site never reads the live data. ``content_sha256``
  refuses publishing the same content twice.
- ``PublicationFile``: the files published with a version, frozen too: per block the open
  data (framework.yaml, units.csv, values.csv, results.json, survey files, manifest.json),
  and the signed decision PDF (``block_code`` empty).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parindex.common.models import BaseModel
from parindex.periods.models import Period


class Publication(BaseModel):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField("phiên bản")
    published_at = models.DateTimeField("công bố lúc")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("ghi chú thay đổi", blank=True)
    content = models.JSONField("nội dung công bố (bất biến)")
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "kết quả công bố"
        verbose_name_plural = "kết quả công bố"
        ordering = ["period_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="publication_version"),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="publication_version_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Công bố {self.period} — phiên bản {self.version}"


class PublicationFile(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    block_code = models.CharField("khối", max_length=40, blank=True)  # empty: the decision
    name = models.CharField("tên tệp", max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "tệp công bố"
        verbose_name_plural = "tệp công bố"
        ordering = ["publication_id", "block_code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "block_code", "name"], name="publication_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.block_code}/{self.name}"
