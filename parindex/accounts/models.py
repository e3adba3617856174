"""Units (a tree, each in a block), accounts, and roles held in units."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from parindex.common.models import BaseModel


class Block(BaseModel):
    """A block of units ranked together with one framework: khối sở, khối huyện, khối xã…"""

    code = models.SlugField("mã khối", max_length=30, unique=True)
    name = models.CharField("tên khối", max_length=200)
    position = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "khối"
        verbose_name_plural = "khối"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Unit(BaseModel):
    """An organisation: the province, a department, a district, a commune, an office…"""

    class Kind(models.TextChoices):
        PROVINCE = "province", "Tỉnh"
        DEPARTMENT = "department", "Sở, ban, ngành"
        DISTRICT = "district", "Huyện, thị xã, thành phố"
        COMMUNE = "commune", "Xã, phường, thị trấn"
        OFFICE = "office", "Phòng chuyên môn"
        OTHER = "other", "Cơ quan khác"

    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    block = models.ForeignKey(
        Block,
        verbose_name="khối",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    admin_root = models.ForeignKey(
        "self",
        verbose_name="địa bàn tổ chức đánh giá",
        help_text=(
            "Khi đơn vị là cơ quan tổ chức đánh giá (Sở Nội vụ; Phòng Nội vụ cấp huyện): "
            "đơn vị gốc của địa bàn mà đơn vị quản lý."
        ),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizers",
    )
    path = models.CharField(
        "đường dẫn cây",
        max_length=500,
        db_index=True,
        editable=False,
        default="/",
        help_text="/id-gốc/…/id/ — giữ bởi dịch vụ đơn vị, dùng để lọc cả nhánh cây.",
    )
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    position = models.PositiveIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organizer(self) -> bool:
        return self.admin_root_id is not None


class User(AbstractUser):
    """An account. Roles are held per unit through Membership; is_superuser = system admin."""

    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    job_title = models.CharField("chức vụ", max_length=200, blank=True)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Membership(BaseModel):
    """A role a person holds in a unit. One person may hold roles in several units."""

    class Role(models.TextChoices):
        ORGANIZER_ADMIN = "organizer_admin", "Quản trị"
        UNIT_OFFICER = "unit_officer", "Chuyên viên đầu mối"
        UNIT_LEADER = "unit_leader", "Lãnh đạo đơn vị"
        APPRAISER = "appraiser", "Thẩm định viên"
        COUNCIL_CHAIR = "council_chair", "Chủ tịch Hội đồng"
        ENUMERATOR = "enumerator", "Điều tra viên"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("vai trò", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        ordering = ["unit__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing (per user name and per address)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "lần đăng nhập sai"
        verbose_name_plural = "lần đăng nhập sai"

    def __str__(self) -> str:
        return f"{self.username} {self.at:%d/%m/%Y %H:%M}"
