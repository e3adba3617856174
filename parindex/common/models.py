from django.db import models


class BaseModel(models.Model):
    """created_at / updated_at on every domain model."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True
