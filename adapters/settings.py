"""Settings for one running bot. The only module that knows environment variable names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot import DialogueSettings

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "data"

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
}


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
    # Defaults are the dialogue's calibrated bands (bot.DialogueSettings).
    answer_threshold: float = Field(default=DialogueSettings.answer_at, gt=0, le=1)
    suggest_threshold: float = Field(default=DialogueSettings.suggest_at, gt=0, le=1)
    ambiguity_gap: float = Field(default=DialogueSettings.ambiguity_gap, ge=0, le=1)
    log_level: str = "INFO"

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
            return cls.model_validate(values)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0]) if error["loc"] else "?"
            name = next((env for env, f in ENVIRONMENT.items() if f == field), field)
            raise SettingsError(f"{name}: {error['msg']}") from None
