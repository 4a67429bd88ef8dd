"""Settings for one running bot. The only module that knows environment variable names."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot import CardSettings, DialogueSettings, Organisation
from bot.escalation import EscalationSettings
from bot.privacy import Retention
from knowledge.errors import FaqbotError

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "data"
DEFAULT_DATABASE_URL = "sqlite:///var/faqbot.sqlite3"
DEFAULT_EMBEDDING_CACHE = Path("var/embeddings.sqlite3")
DEFAULT_ORGANISATION_NAME = "NHS Blood and Transplant"
DEFAULT_ORGANISATION_SHORT_NAME = "NHSBT"
DEFAULT_HELPDESK_NAME = "HR Direct"

# Environment variable -> field. Bot Framework names follow Microsoft's samples.
ENVIRONMENT = {
    "MicrosoftAppId": "app_id",
    "MicrosoftAppPassword": "app_password",
    "MicrosoftAppType": "app_type",
    "MicrosoftAppTenantId": "app_tenant_id",
    "HOST": "host",
    "PORT": "port",
    "FAQBOT_CORPUS_DIR": "corpus_dir",
    "FAQBOT_EMBEDDING_CACHE": "embedding_cache",
    "FAQBOT_ORGANISATION_NAME": "organisation_name",
    "FAQBOT_ORGANISATION_SHORT_NAME": "organisation_short_name",
    "FAQBOT_HELPDESK_NAME": "helpdesk_name",
    "FAQBOT_HR_DIRECT_URL": "hr_direct_url",
    "FAQBOT_ANSWER_THRESHOLD": "answer_threshold",
    "FAQBOT_NEW_ENTRY_ANSWER_THRESHOLD": "new_entry_answer_threshold",
    "FAQBOT_SUGGEST_THRESHOLD": "suggest_threshold",
    "FAQBOT_NEW_ENTRY_SUGGEST_THRESHOLD": "new_entry_suggest_threshold",
    "FAQBOT_AMBIGUITY_GAP": "ambiguity_gap",
    "FAQBOT_LOG_LEVEL": "log_level",
    "FAQBOT_DATABASE_URL": "database_url",
    "FAQBOT_DATABASE_TIMEOUT": "database_timeout",
    "FAQBOT_RETAIN_TICKETS_DAYS": "retain_tickets_days",
    "FAQBOT_OUTBOUND_PER_SECOND": "outbound_per_second",
    "FAQBOT_MAX_TURNS_IN_FLIGHT": "max_turns_in_flight",
    "FAQBOT_MAX_TURNS_PER_CONVERSATION": "max_turns_per_conversation",
    "FAQBOT_BUSY_RETRY_AFTER": "busy_retry_after",
    "FAQBOT_HR_CHANNEL_CACHE_SECONDS": "hr_channel_cache_seconds",
    "FAQBOT_RETAIN_FEEDBACK_DAYS": "retain_feedback_days",
    "FAQBOT_RETAIN_QUESTIONS_DAYS": "retain_questions_days",
    "FAQBOT_PURGE_HOURS": "purge_hours",
    "FAQBOT_ERASE_KEEPS_OPEN_TICKETS": "erase_keeps_open_tickets",
    "FAQBOT_RELOAD_SECONDS": "reload_seconds",
    "FAQBOT_PID_FILE": "pid_file",
    "FAQBOT_REVIEW_MONTHS": "review_months",
    "FAQBOT_HR_CHANNEL_ID": "hr_channel_id",
    "FAQBOT_HR_REGISTRARS": "hr_registrars",
    "MicrosoftAppCertificateThumbprint": "app_certificate_thumbprint",
    "MicrosoftAppCertificateKeyFile": "app_certificate_key_file",
    "MicrosoftAppCertificatePfxFile": "app_certificate_pfx_file",
    "FAQBOT_SDK": "sdk",
    "FAQBOT_LOCAL_MODE": "local_mode",
    "FAQBOT_ALLOWED_TENANTS": "allowed_tenants",
    "FAQBOT_SERVICE_URL_HOSTS": "service_url_hosts",
    "FAQBOT_OPENID_METADATA_URL": "openid_metadata_url",
    "FAQBOT_BODY_TIMEOUT": "body_timeout",
    "FAQBOT_HEADER_TIMEOUT": "header_timeout",
    "FAQBOT_MAX_CONNECTIONS": "max_connections",
    "FAQBOT_KEY_FETCH_TIMEOUT": "key_fetch_timeout",
    "FAQBOT_METRICS_PORT": "metrics_port",
    "FAQBOT_METRICS_DIR": "metrics_dir",
    "FAQBOT_LOG_SALT": "log_salt",
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

# Production mode: the Bot Connector's OpenID metadata, and the hosts Teams sends from.
BOT_FRAMEWORK_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
TEAMS_SERVICE_URL_HOSTS = (
    "smba.trafficmanager.net",
    "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us",
    "smba.infra.dod.teams.microsoft.us",
)
_LIST_FIELDS = ("allowed_tenants", "service_url_hosts")


class SettingsError(FaqbotError):
    """The configuration cannot be used; the message names the environment variable."""

    exit_code = 2
    summary = "configuration error"


class NotServable(SettingsError):
    """The configuration cannot serve Teams safely; the message lists every problem."""

    summary = "refusing to start (see the Configuration section of README.md)"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))


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
    embedding_cache: Path = DEFAULT_EMBEDDING_CACHE
    # Names the bot's texts and the Teams package use. The helpdesk's name makes the command
    # "ask <helpdesk>", which must fit a Teams command title (32 characters).
    organisation_name: str = Field(default=DEFAULT_ORGANISATION_NAME, min_length=1, max_length=76)
    organisation_short_name: str | None = Field(default=None, min_length=1, max_length=32)
    helpdesk_name: str = Field(default=DEFAULT_HELPDESK_NAME, min_length=1, max_length=28)
    hr_direct_url: str | None = Field(default=None, pattern=r"^(https://|mailto:|msteams:)\S+$")
    # Defaults are the dialogue's calibrated bands (bot.DialogueSettings).
    answer_threshold: float = Field(default=DialogueSettings.answer_at, gt=0, le=1)
    new_entry_answer_threshold: float = Field(default=DialogueSettings.new_entry_answer_at, gt=0, le=1)
    suggest_threshold: float = Field(default=DialogueSettings.suggest_at, gt=0, le=1)
    new_entry_suggest_threshold: float = Field(default=DialogueSettings.new_entry_suggest_at, gt=0, le=1)
    ambiguity_gap: float = Field(default=DialogueSettings.ambiguity_gap, ge=0, le=1)
    log_level: str = "INFO"
    retain_tickets_days: int = Field(default=365, ge=1, le=3650)
    outbound_per_second: int = Field(default=50, ge=0, le=1000)  # 0: no app-wide pace
    # Load shedding (adapters/web/load_shedding.py); the default comes from the load benchmark.
    max_turns_in_flight: int = Field(default=64, ge=0, le=100_000)  # 0: no limit
    # Turns one conversation may have in flight, in front of the limit above (0: no limit).
    max_turns_per_conversation: int = Field(default=4, ge=0, le=100_000)
    busy_retry_after: int = Field(default=1, ge=1, le=120)
    hr_channel_cache_seconds: float = Field(default=10.0, ge=0, le=3600)
    retain_feedback_days: int = Field(default=365, ge=1, le=3650)
    retain_questions_days: int = Field(default=365, ge=1, le=3650)
    purge_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    erase_keeps_open_tickets: bool = True
    database_url: str = Field(default=DEFAULT_DATABASE_URL, repr=False, pattern=r"^(sqlite|postgresql)(\+\w+)?://")
    # Seconds any one database call may take while serving; worst case about twice this to a 503,
    # which keeps a turn well inside Teams' 15 s window.
    database_timeout: float = Field(default=3.0, gt=0, le=6)
    reload_seconds: float = Field(default=5.0, ge=0, le=3600)
    pid_file: Path | None = None
    review_months: int = Field(default=12, ge=1, le=120)
    pseudonym_salt: str = Field(default="", repr=False)
    # The Teams app package (manifest/); see adapters/teams/teams_package.py.
    teams_app_id: str = Field(default="", pattern=r"^$|^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
    app_version: str = Field(default="1.0.0", pattern=r"^\d+\.\d+\.\d+$")
    app_name: str = Field(default="HR Policy FAQ", min_length=1, max_length=30)
    app_full_name: str | None = Field(default=None, max_length=100)  # default: from organisation_name
    app_description: str = Field(
        default="Approved answers to HR policy questions, with the policy they come from.", max_length=80
    )
    app_full_description: str | None = Field(default=None, max_length=4000)  # default: names the helpdesk
    developer_name: str | None = Field(default=None, max_length=32)  # default: the organisation's name
    developer_url: str = Field(default="https://www.nhsbt.nhs.uk/", pattern=r"^https://\S+$")
    privacy_url: str = Field(default="https://www.nhsbt.nhs.uk/privacy/", pattern=r"^https://\S+$")
    terms_url: str = Field(default="https://www.nhsbt.nhs.uk/terms-and-conditions/", pattern=r"^https://\S+$")
    bot_domain: str = Field(default="", pattern=r"^$|^[A-Za-z0-9.-]+(:\d+)?$")

    @property
    def organisation(self) -> Organisation:
        """The names the texts use; without a short name, another organisation goes by its full name."""
        short_name = self.organisation_short_name or (
            DEFAULT_ORGANISATION_SHORT_NAME
            if self.organisation_name == DEFAULT_ORGANISATION_NAME
            else self.organisation_name
        )
        return Organisation(self.organisation_name, short_name, self.helpdesk_name)

    @property
    def dialogue_settings(self) -> DialogueSettings:
        """The dialogue's thresholds."""
        return DialogueSettings(
            answer_at=self.answer_threshold,
            suggest_at=self.suggest_threshold,
            new_entry_answer_at=self.new_entry_answer_threshold,
            new_entry_suggest_at=self.new_entry_suggest_threshold,
            ambiguity_gap=self.ambiguity_gap,
        )

    @property
    def card_settings(self) -> CardSettings:
        """Whose names the cards use and where 'Ask <helpdesk>' leads."""
        return CardSettings(self.organisation, hr_direct_url=self.hr_direct_url, retention=self.retention)

    @property
    def escalation_settings(self) -> EscalationSettings:
        """Whose helpdesk tickets go to, its channel and who may register one."""
        return EscalationSettings(self.organisation, hr_channel_id=self.hr_channel_id, registrars=self.hr_registrar_ids)

    @property
    def purge_interval(self) -> dt.timedelta:
        """How often the running bot purges what is past its retention."""
        return dt.timedelta(hours=self.purge_hours)

    @property
    def retention(self) -> Retention:
        """How long the purge keeps each kind of record, as the privacy note states it."""
        return Retention(
            tickets=dt.timedelta(days=self.retain_tickets_days),
            feedback=dt.timedelta(days=self.retain_feedback_days),
            questions=dt.timedelta(days=self.retain_questions_days),
        )

    @property
    def effective_pseudonym_salt(self) -> str:
        """The salt for pseudonymous keys: the configured one, or the fixed development one locally."""
        return self.pseudonym_salt or DEVELOPMENT_PSEUDONYM_SALT

    @property
    def pid_path(self) -> Path:
        """Where `faqbot run` writes its process id for `faqbot reload`: one file per port by default."""
        return self.pid_file or Path(tempfile.gettempdir()) / f"faqbot-{self.port}.pid"

    hr_channel_id: str | None = Field(default=None, pattern=r"^19:\S+$")
    # Comma-separated Entra (AAD) object ids of the people allowed to `register this channel`.
    hr_registrars: str = ""

    @property
    def hr_registrar_ids(self) -> frozenset[str]:
        return frozenset(part.strip() for part in self.hr_registrars.split(",") if part.strip())

    app_certificate_thumbprint: str = ""
    app_certificate_key_file: Path | None = None
    # The Agents SDK reads a certificate as one PFX file (certificate and key); botbuilder as a
    # thumbprint and a PEM key file.
    app_certificate_pfx_file: Path | None = None
    # Which Microsoft SDK carries activities (adapters/teams/sdk.py): the Bot Framework SDK or
    # the Microsoft 365 Agents SDK. Behaviour is the same; only the credential forms differ.
    sdk: Literal["botbuilder", "agents"] = "botbuilder"
    local_mode: bool = False
    allowed_tenants: tuple[str, ...] = ()
    service_url_hosts: tuple[str, ...] = TEAMS_SERVICE_URL_HOSTS
    openid_metadata_url: str = Field(default=BOT_FRAMEWORK_OPENID_METADATA_URL, pattern=r"^https?://\S+$")
    body_timeout: float = Field(default=10.0, gt=0, le=300)
    header_timeout: float = Field(default=15.0, gt=0, le=3600)
    max_connections: int = Field(default=500, ge=1, le=100_000)
    key_fetch_timeout: float = Field(default=5.0, gt=0, le=60)
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    # Several worker processes (gunicorn): each writes its figures here and all share the metrics
    # port, any of them answering with the sum (adapters/web/metrics_folder.py).
    metrics_dir: Path | None = None
    log_salt: str = Field(default="", repr=False)

    @property
    def managed_identity(self) -> bool:
        return self.app_type.lower() == "userassignedmsi"

    def serving_problems(self) -> list[str]:
        """What stops this configuration from serving Teams safely; empty when it can serve.

        Production (an app id is set) fails closed: it needs a credential and allowed tenants.
        Local mode must be asked for explicitly and cannot be combined with an app id.
        """
        if self.local_mode:
            return ["FAQBOT_LOCAL_MODE cannot be combined with MicrosoftAppId"] if self.app_id else []
        if not self.app_id:
            return [
                "MicrosoftAppId is not set: configure MicrosoftAppId, a credential, MicrosoftAppTenantId and "
                "FAQBOT_ALLOWED_TENANTS for production, or set FAQBOT_LOCAL_MODE=1 to try the bot on this machine"
            ]
        problems = []
        if self.sdk == "agents":
            has_certificate = self.app_certificate_pfx_file is not None
            certificate = "MicrosoftAppCertificatePfxFile"
        else:
            has_certificate = bool(self.app_certificate_thumbprint and self.app_certificate_key_file)
            certificate = "MicrosoftAppCertificateThumbprint with MicrosoftAppCertificateKeyFile"
        if not (self.app_password or has_certificate or self.managed_identity):
            problems.append(
                f"no credential: set MicrosoftAppPassword, {certificate}, or MicrosoftAppType=UserAssignedMSI"
            )
        if self.app_type.lower() in {"singletenant", "userassignedmsi"} and not self.app_tenant_id:
            problems.append(f"MicrosoftAppTenantId is required with MicrosoftAppType={self.app_type}")
        if not self.allowed_tenants:
            problems.append("FAQBOT_ALLOWED_TENANTS is not set: list the Entra tenant id(s) allowed to use the bot")
        if not self.pseudonym_salt:
            problems.append("FAQBOT_PSEUDONYM_SALT is not set: give a long random secret (it keys stored pseudonyms)")
        if not self.service_url_hosts:
            problems.append("FAQBOT_SERVICE_URL_HOSTS is empty: list the Bot Connector hosts replies may go to")
        return problems

    @property
    def bind_host(self) -> str:
        """Where to listen: loopback only in local mode, all interfaces in production."""
        if self.host:
            return self.host
        return "127.0.0.1" if self.local_mode else "0.0.0.0"  # noqa: S104 - production sits behind Azure Bot Service

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from `environ` (pass `os.environ`); empty variables count as unset."""
        values: dict[str, object] = {
            field: environ[name] for name, field in ENVIRONMENT.items() if environ.get(name, "").strip()
        }
        for field in _LIST_FIELDS:
            if isinstance(values.get(field), str):
                values[field] = tuple(item.strip() for item in str(values[field]).split(",") if item.strip())
        try:
            settings = cls.model_validate(values)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0]) if error["loc"] else "?"
            name = next((env for env, f in ENVIRONMENT.items() if f == field), field)
            raise SettingsError(f"{name}: {error['msg']}") from None
        return settings
