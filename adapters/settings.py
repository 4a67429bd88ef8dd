"""Settings for one running bot. The only module that knows environment variable names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "data"
DEFAULT_DATABASE_URL = "sqlite:///var/faqbot.sqlite3"

# Environment variable -> field. Bot Framework names follow Microsoft's samples.
ENVIRONMENT = {
    "MicrosoftAppId": "app_id",
    "MicrosoftAppPassword": "app_password",
    "MicrosoftAppType": "app_type",
    "MicrosoftAppTenantId": "app_tenant_id",
    "HOST": "host",
    "PORT": "port",
    "FAQBOT_CORPUS_DIR": "corpus_dir",
    "FAQBOT_HR_DIRECT_URL": "hr_direct_url",
    "FAQBOT_ANSWER_THRESHOLD": "answer_threshold",
    "FAQBOT_SUGGEST_THRESHOLD": "suggest_threshold",
    "FAQBOT_AMBIGUITY_GAP": "ambiguity_gap",
    "FAQBOT_LOG_LEVEL": "log_level",
    "FAQBOT_DATABASE_URL": "database_url",
    "FAQBOT_PSEUDONYM_SALT": "pseudonym_salt",
    "FAQBOT_TEAMS_APP_ID": "teams_app_id",
    "FAQBOT_APP_VERSION": "app_version",
    "FAQBOT_APP_NAME": "app_name",
    "FAQBOT_APP_FULL_NAME": "app_full_name",
    "FAQBOT_APP_DESCRIPTION": "app_description",
    "FAQBOT_APP_FULL_DESCRIPTION": "app_full_description",
    "FAQBOT_DEVELOPER_NAME": "developer_name",
    "FAQBOT_DEVELOPER_URL": "developer_url",
    "FAQBOT_PRIVACY_URL": "privacy_url",
    "FAQBOT_TERMS_URL": "terms_url",
    "FAQBOT_BOT_DOMAIN": "bot_domain",
}
# Only for local mode (no MicrosoftAppId): production must set FAQBOT_PSEUDONYM_SALT.
DEVELOPMENT_PSEUDONYM_SALT = "faqbot-local-development-salt-not-secret"


class SettingsError(Exception):
    """The configuration cannot be used; the message names the environment variable."""


class Settings(BaseModel):
    """Everything configurable, with the embedded defaults used by `make run`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    app_id: str = ""
    app_password: str = Field(default="", repr=False)
    app_type: str = "SingleTenant"
    app_tenant_id: str = ""
    host: str | None = None
    port: int = Field(default=3978, ge=1, le=65535)
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    hr_direct_url: str | None = Field(default=None, pattern=r"^(https://|mailto:|msteams:)\S+$")
    answer_threshold: float = Field(default=0.80, gt=0, le=1)
    suggest_threshold: float = Field(default=0.50, gt=0, le=1)
    ambiguity_gap: float = Field(default=0.05, ge=0, le=1)
    log_level: str = "INFO"
    database_url: str = Field(default=DEFAULT_DATABASE_URL, repr=False, pattern=r"^(sqlite|postgresql)(\+\w+)?://")
    pseudonym_salt: str = Field(default="", repr=False)
    # The Teams app package (manifest/); see adapters/teams_package.py.
    teams_app_id: str = Field(default="", pattern=r"^$|^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
    app_version: str = Field(default="1.0.0", pattern=r"^\d+\.\d+\.\d+$")
    app_name: str = Field(default="HR Policy FAQ", min_length=1, max_length=30)
    app_full_name: str = Field(default="HR Policy FAQ for NHS Blood and Transplant staff", max_length=100)
    app_description: str = Field(
        default="Approved answers to HR policy questions, with the policy they come from.", max_length=80
    )
    app_full_description: str = Field(
        default=(
            "Ask HR policy questions in your own words and get HR's approved answer, word for word, "
            "with its policy reference. Browse topics, and ask HR Direct when the bot has no answer."
        ),
        max_length=4000,
    )
    developer_name: str = Field(default="NHS Blood and Transplant", max_length=32)
    developer_url: str = Field(default="https://www.nhsbt.nhs.uk/", pattern=r"^https://\S+$")
    privacy_url: str = Field(default="https://www.nhsbt.nhs.uk/privacy/", pattern=r"^https://\S+$")
    terms_url: str = Field(default="https://www.nhsbt.nhs.uk/terms-and-conditions/", pattern=r"^https://\S+$")
    bot_domain: str = Field(default="", pattern=r"^$|^[A-Za-z0-9.-]+(:\d+)?$")

    @property
    def effective_pseudonym_salt(self) -> str:
        """The salt for pseudonymous keys: the configured one, or the fixed development one locally."""
        return self.pseudonym_salt or DEVELOPMENT_PSEUDONYM_SALT

    @property
    def local_mode(self) -> bool:
        """True when no app id is set: no Bot Framework authentication, for trying the bot locally."""
        return not self.app_id

    @property
    def bind_host(self) -> str:
        """Where to listen: loopback only in local mode, all interfaces in production."""
        if self.host:
            return self.host
        return "127.0.0.1" if self.local_mode else "0.0.0.0"  # noqa: S104 - production sits behind Azure Bot Service

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from `environ` (pass `os.environ`); empty variables count as unset."""
        values = {field: environ[name] for name, field in ENVIRONMENT.items() if environ.get(name, "").strip()}
        try:
            settings = cls.model_validate(values)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0]) if error["loc"] else "?"
            name = next((env for env, f in ENVIRONMENT.items() if f == field), field)
            raise SettingsError(f"{name}: {error['msg']}") from None
        if not settings.local_mode and not settings.pseudonym_salt:
            raise SettingsError("FAQBOT_PSEUDONYM_SALT: required when MicrosoftAppId is set (a long random secret)")
        return settings
