"""Settings: environment variables over `funnelbot.toml`, validated once at start."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic import field_validator as validates
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from storage.engine import DEFAULT_DATABASE_URL

__all__ = [
    "CONFIG_PATH_ENV",
    "AccessRules",
    "AlertSettings",
    "ConfigError",
    "DigestAudience",
    "HubSpotSettings",
    "Settings",
    "SourceSettings",
    "SqlSourceSettings",
    "StripeSettings",
    "TargetRule",
    "load_settings",
]

CONFIG_PATH_ENV = "FUNNELBOT_CONFIG"
DEFAULT_STRIPE_API_BASE = "https://api.stripe.com"
DEFAULT_HUBSPOT_API_BASE = "https://api.hubapi.com"
# Names a `[sources.NAME]` of kind "sql" may not take: the built-in sources and `sync all`.
RESERVED_SOURCE_NAMES = frozenset({"stripe", "hubspot", "all"})
SOURCE_NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
DEFAULT_CONFIG_FILE = "funnelbot.toml"


class ConfigError(Exception):
    """Invalid configuration; the message names every bad key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetRule(_Strict):
    """A team target overriding the seed benchmark: `cac = { max = 500 }`."""

    min: float | None = None
    max: float | None = None
    segment: str | None = None
    channel: str | None = None


class DigestAudience(_Strict):
    """One `[digests.NAME]` table."""

    channels: list[str] = Field(default_factory=list)
    schedule: str = "mon 09:00"
    metrics: list[str] | None = None
    language: str = "en"


class AccessRules(_Strict):
    """The `[access]` table of docs/reference.md."""

    allowed_team_ids: list[str] = Field(default_factory=list)
    restricted_metrics: list[str] = Field(default_factory=list)
    restricted_viewers: list[str] = Field(default_factory=list)
    restricted_channels: list[str] = Field(default_factory=list)
    admins: list[str] = Field(default_factory=list)


class AlertSettings(_Strict):
    """One `[alerts.NAME]` table (docs/alerts.md); its words are checked by bot/alerts."""

    metric: str
    when: str
    every: str = "week"
    where: dict[str, list[str]] = Field(default_factory=dict)
    channels: list[str] = Field(default_factory=list)
    language: str = "en"


class StripeSettings(_Strict):
    """The `[sources.stripe]` table (docs/sources.md)."""

    kind: Literal["stripe"] = "stripe"
    channel_key: str = Field("channel", min_length=1)
    segment_key: str = Field("segment", min_length=1)
    count_past_due: bool = True
    schedule: str = "daily 02:00"


class HubSpotSettings(_Strict):
    """The `[sources.hubspot]` table (docs/sources.md)."""

    kind: Literal["hubspot"] = "hubspot"
    channel_property: str = Field("hs_analytics_source", min_length=1)
    # hs_analytics_source values (ORGANIC_SEARCH…) to channel names, over the defaults
    channels: dict[str, str] = Field(default_factory=dict)
    segment_property: str | None = Field(None, min_length=1)
    # whose property segment_property is: the contact's and deal's own, or their company's
    segment_object: Literal["contact", "company"] = "contact"
    # segment_property values to segment names
    segments: dict[str, str] = Field(default_factory=dict)
    # lifecycle "customer" dates into new_customers; None: only when Stripe is not configured
    new_customers: bool | None = None
    overlap_days: int = Field(7, ge=0, le=366)
    schedule: str = "daily 02:00"

    @model_validator(mode="after")
    def _company_needs_a_property(self) -> HubSpotSettings:
        if self.segment_object == "company" and self.segment_property is None:
            raise ValueError(
                'segment_object = "company" needs segment_property (a company property)'
            )
        return self


class SqlSourceSettings(_Strict):
    """A `[sources.NAME]` table of `kind = "sql"`: a query on any SQLAlchemy URL."""

    kind: Literal["sql"]
    url: str | None = Field(None, min_length=1)
    url_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    query: str = Field(min_length=1)
    overlap_days: int = Field(7, ge=0, le=366)
    schedule: str = "daily 03:00"

    @model_validator(mode="after")
    def _one_url(self) -> SqlSourceSettings:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("set exactly one of url and url_env")
        return self


class SourceSettings(BaseModel):
    """The `[sources.*]` tables: `stripe`, `hubspot`, and any name of `kind = "sql"`."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, SqlSourceSettings] = Field(init=False)

    stripe: StripeSettings | None = None
    hubspot: HubSpotSettings | None = None

    @model_validator(mode="after")
    def _valid_names(self) -> SourceSettings:
        for name in self.sql:
            if name in RESERVED_SOURCE_NAMES or not re.match(SOURCE_NAME_PATTERN, name):
                raise ValueError(
                    f"{name!r} cannot name a source: a name is lower-case letters, digits, _ "
                    "and -, starting with a letter, and not stripe, hubspot or all"
                )
        return self

    @property
    def sql(self) -> dict[str, SqlSourceSettings]:
        """The SQL sources by name, in the order of the file."""
        return dict(self.__pydantic_extra__ or {})


def _env(*names: str) -> Any:
    return Field(None, validation_alias=AliasChoices(*names))


class Settings(BaseSettings):
    """Every setting has an environment variable; TOML keys are the lower-case short names."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL, validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    slack_bot_token: SecretStr | None = _env("SLACK_BOT_TOKEN", "slack_bot_token")
    slack_signing_secret: SecretStr | None = _env("SLACK_SIGNING_SECRET", "slack_signing_secret")
    slack_app_token: SecretStr | None = _env("SLACK_APP_TOKEN", "slack_app_token")
    slack_api_url: str = Field(
        "https://slack.com/api/", validation_alias=AliasChoices("SLACK_API_URL", "slack_api_url")
    )
    port: int = Field(3000, ge=1, le=65535, validation_alias=AliasChoices("PORT", "port"))
    timezone: str = Field("UTC", validation_alias=AliasChoices("FUNNELBOT_TIMEZONE", "timezone"))
    currency: str = Field(
        "USD",
        pattern=r"^[A-Z]{3}$",
        validation_alias=AliasChoices("FUNNELBOT_CURRENCY", "currency"),
    )
    gross_margin: float = Field(
        1.0, gt=0, le=1, validation_alias=AliasChoices("FUNNELBOT_GROSS_MARGIN", "gross_margin")
    )
    command: str = Field(
        "/funnel",
        pattern=r"^/[a-z0-9_-]{1,31}$",
        validation_alias=AliasChoices("FUNNELBOT_COMMAND", "command"),
    )
    log_level: str = Field("INFO", validation_alias=AliasChoices("LOG_LEVEL", "log_level"))
    answer_processes: int = Field(
        2,
        ge=0,
        le=64,
        validation_alias=AliasChoices("FUNNELBOT_ANSWER_PROCESSES", "answer_processes"),
    )
    admin_user: str | None = _env("FUNNELBOT_ADMIN_USER", "admin_user")
    stripe_api_key: SecretStr | None = _env("STRIPE_API_KEY", "stripe_api_key")
    stripe_api_base: str = Field(
        DEFAULT_STRIPE_API_BASE,
        validation_alias=AliasChoices("STRIPE_API_BASE", "stripe_api_base"),
    )
    hubspot_access_token: SecretStr | None = _env("HUBSPOT_ACCESS_TOKEN", "hubspot_access_token")
    hubspot_api_base: str = Field(
        DEFAULT_HUBSPOT_API_BASE,
        validation_alias=AliasChoices("HUBSPOT_API_BASE", "hubspot_api_base"),
    )
    sources: SourceSettings = Field(default_factory=SourceSettings)
    targets: dict[str, TargetRule] = Field(default_factory=dict)
    digests: dict[str, DigestAudience] = Field(default_factory=dict)
    alerts: dict[str, AlertSettings] = Field(default_factory=dict)
    access: AccessRules | None = None
    config_file: str | None = Field(None, exclude=True)

    @validates("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown timezone {value!r}") from error
        return value

    @validates("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return level

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # init (CLI flags and the parsed TOML file) is listed last so the environment wins.
        return (env_settings, init_settings)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read configuration file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"configuration file {path} is not valid TOML: {error}") from error


def _config_path(explicit: str | Path | None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    from_env = os.environ.get(CONFIG_PATH_ENV)
    if from_env:
        return Path(from_env)
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.exists() else None


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(root)"
        lines.append(f"  {key}: {item['msg']}")
    return "invalid configuration:\n" + "\n".join(lines)


def load_settings(config_path: str | Path | None = None, **overrides: Any) -> Settings:
    """Read the TOML file (if any), apply the environment and `overrides` (e.g. CLI flags)."""
    path = _config_path(config_path)
    values: dict[str, Any] = _read_toml(path) if path is not None else {}
    values.update({key: value for key, value in overrides.items() if value is not None})
    if path is not None:
        values["config_file"] = str(path)
    try:
        return Settings(**values)
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None
