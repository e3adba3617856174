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


# --- Sign-in security: two-factor devices, backup codes, sessions, password-reset requests ---


class TwoFactorDevice(BaseModel):
    """A confirmed TOTP authenticator (RFC 6238: 30-second steps, 6 digits) of one account.

    The secret must be readable to compute the codes, so it is stored as is (like every TOTP
    server); it is never shown again after the enrolment and not in the admin site.
    ``last_step`` is the time step of the last accepted code: a code of that step or earlier is
    refused, so a code seen over someone's shoulder cannot be used again."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor_device")
    secret = models.CharField("khóa bí mật (base32)", max_length=64)
    last_step = models.BigIntegerField("bước thời gian đã dùng", default=0)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)

    class Meta:
        verbose_name = "thiết bị xác thực hai bước"
        verbose_name_plural = "thiết bị xác thực hai bước"

    def __str__(self) -> str:
        return f"Xác thực hai bước của {self.user_id}"


class BackupCode(models.Model):
    """A single-use backup code: only its SHA-256 is stored (the code has ~60 random bits, so a
    plain digest cannot be reversed), shown once when the codes are made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="backup_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="backup_code_unique")
        ]

    def __str__(self) -> str:
        return f"Mã dự phòng #{self.pk}"


class TwoFactorFailure(models.Model):
    """A wrong two-factor code (counted by the lock, kept one day)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_failures")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """One signed-in session, for the account page's list and for ending it from elsewhere.

    The session key is never stored readable: ``key_hash`` (SHA-256) finds the row, and
    ``key_sealed`` (the key encrypted with a key derived from SECRET_KEY, Fernet) lets
    "Đăng xuất phiên này" delete the session from whatever SESSION_ENGINE holds it (database or
    cache). ``last_seen`` moves at most once a minute."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    key_sealed = models.TextField()
    user_agent = models.CharField("trình duyệt", max_length=300, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    created_at = models.DateTimeField("bắt đầu", auto_now_add=True)
    last_seen = models.DateTimeField("hoạt động gần nhất", db_index=True)

    class Meta:
        verbose_name = "phiên đăng nhập"
        verbose_name_plural = "phiên đăng nhập"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"Phiên #{self.pk} của {self.user_id}"


class PasswordResetRequest(models.Model):
    """A "Quên mật khẩu" request (throttled per address and per e-mail; kept one day). The
    e-mail is kept as a digest: the table does not list who asked."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    email_hash = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"Yêu cầu đặt lại mật khẩu #{self.pk}"
