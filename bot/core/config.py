"""Settings: environment variables over `funnelbot.toml`, validated once at start."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic import field_validator as validates
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings.sources import ConfigFileSourceType

from bot.core.languages import LANGUAGES, Language
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
# A setting's environment variable is its name in capitals after a prefix: FUNNELBOT_ for the
# bot's own settings, none for the names hosting platforms and vendors give them. The tables
# ([digests.NAME], [sources.NAME]…) are read from the TOML file only.
_VARIABLE_PREFIXES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "FUNNELBOT_": frozenset(
            {"timezone", "currency", "gross_margin", "command", "answer_processes", "admin_user"}
        ),
        "": frozenset(
            {
                "database_url",
                "port",
                "log_level",
                "slack_bot_token",
                "slack_signing_secret",
                "slack_app_token",
                "slack_api_url",
                "stripe_api_key",
                "stripe_api_base",
                "hubspot_access_token",
                "hubspot_api_base",
            }
        ),
    }
)
UNSUPPORTED_LANGUAGE = "unsupported language {language} (supported: {supported})"


class ConfigError(Exception):
    """Invalid configuration; the message names every bad key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _supported_language(value: object, handler: ValidatorFunctionWrapHandler) -> Language:
    try:
        language: Language = handler(value)
    except ValidationError:
        supported = ", ".join(LANGUAGES)
        context = {"language": repr(value), "supported": supported}
        raise PydanticCustomError("language", UNSUPPORTED_LANGUAGE, context) from None
    return language


# A language the bot speaks; anything else is refused naming the ones it does.
SupportedLanguage = Annotated[Language, WrapValidator(_supported_language)]


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
    language: SupportedLanguage = "en"


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


class Settings(BaseSettings):
    """Every scalar setting has an environment variable (`_VARIABLE_PREFIXES`); its TOML key
    is its name. Highest first: arguments (CLI flags), the environment, the file, defaults."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    port: int = Field(3000, ge=1, le=65535)
    timezone: str = "UTC"
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    gross_margin: float = Field(1.0, gt=0, le=1)
    command: str = Field("/funnel", pattern=r"^/[a-z0-9_-]{1,31}$")
    log_level: str = "INFO"
    answer_processes: int = Field(2, ge=0, le=64)
    admin_user: str | None = None
    stripe_api_key: SecretStr | None = None
    stripe_api_base: str = DEFAULT_STRIPE_API_BASE
    hubspot_access_token: SecretStr | None = None
    hubspot_api_base: str = DEFAULT_HUBSPOT_API_BASE
    sources: SourceSettings = Field(default_factory=SourceSettings)
    targets: dict[str, TargetRule] = Field(default_factory=dict)
    digests: dict[str, DigestAudience] = Field(default_factory=dict)
    alerts: dict[str, AlertSettings] = Field(default_factory=dict)
    access: AccessRules | None = None
    # the TOML file read, if any (given as an argument: it names where the others are)
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
        # Highest first; pydantic-settings adds the defaults last.
        files = _files_named(init_settings, settings_cls)
        return (init_settings, *_environment(settings_cls), *files)


class _Variables(EnvSettingsSource):
    """The environment variables of the settings in `names`: `prefix` and the name, any case."""

    def __init__(self, settings_cls: type[BaseSettings], prefix: str, names: frozenset[str]):
        super().__init__(settings_cls, case_sensitive=False, env_prefix=prefix)
        self.names = names

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        if field_name not in self.names:
            return None, field_name, False
        return super().get_field_value(field, field_name)


def _environment(settings_cls: type[BaseSettings]) -> tuple[_Variables, ...]:
    return tuple(
        _Variables(settings_cls, prefix, names) for prefix, names in _VARIABLE_PREFIXES.items()
    )


def _files_named(
    arguments: PydanticBaseSettingsSource, settings_cls: type[BaseSettings]
) -> tuple[PydanticBaseSettingsSource, ...]:
    """The TOML file that the `config_file` argument names, if any."""
    given = arguments.init_kwargs if isinstance(arguments, InitSettingsSource) else {}
    path = given.get("config_file")
    return () if path is None else (_TomlFile(settings_cls, Path(path)),)


class _TomlFile(TomlConfigSettingsSource):
    """The TOML file at `path`, which must be readable (pydantic-settings' own source skips a
    file that is not there, which would hide a mistyped $FUNNELBOT_CONFIG)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path):
        self.path = path
        super().__init__(settings_cls, toml_file=path)

    def _read_files(
        self, files: ConfigFileSourceType | None, deep_merge: bool = False
    ) -> dict[str, Any]:
        path = self.path
        try:
            return self._read_file(path)
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


def _describe(error: ValidationError, variables: Mapping[str, str]) -> str:
    """One line per bad key, a setting the environment gave named by its variable."""
    lines = []
    for item in error.errors():
        parts = [str(part) for part in item["loc"]]
        if parts:
            parts[0] = variables.get(parts[0], parts[0])
        lines.append(f"  {'.'.join(parts) or '(root)'}: {item['msg']}")
    return "invalid configuration:\n" + "\n".join(lines)


def _variables_read(arguments: Mapping[str, Any]) -> dict[str, str]:
    """The settings taken from the environment (not given as arguments), and their variables."""
    return {
        name: f"{source.env_prefix}{name}".upper()
        for source in _environment(Settings)
        for name in source()
        if name not in arguments
    }


def load_settings(config_path: str | Path | None = None, **overrides: Any) -> Settings:
    """The settings: `overrides` (CLI flags; None is not given) over the environment, over
    the TOML file (`config_path`, else $FUNNELBOT_CONFIG, else ./funnelbot.toml if any)."""
    arguments = {key: value for key, value in overrides.items() if value is not None}
    path = _config_path(config_path)
    if path is not None:
        arguments["config_file"] = str(path)
    try:
        return Settings(**arguments)
    except ValidationError as error:
        raise ConfigError(_describe(error, _variables_read(arguments))) from None
