from __future__ import annotations

import pytest

from adapters.config.settings import Settings, SettingsError


def test_local_mode_must_be_asked_for() -> None:
    assert not Settings.from_env({}).local_mode
    assert Settings.from_env({}).serving_problems()
    settings = Settings.from_env({"FAQBOT_LOCAL_MODE": "1"})
    assert settings.local_mode
    assert settings.serving_problems() == []
    assert settings.port == 3978
    assert settings.bind_host == "127.0.0.1"


PRODUCTION = {
    "MicrosoftAppId": "00000000-0000-0000-0000-000000000001",
    "MicrosoftAppPassword": "secret",
    "MicrosoftAppTenantId": "tenant-nhs",
    "FAQBOT_ALLOWED_TENANTS": "tenant-nhs, tenant-two",
    "FAQBOT_PSEUDONYM_SALT": "a-long-random-test-secret",
}


def test_production_with_everything_can_serve() -> None:
    settings = Settings.from_env(PRODUCTION)
    assert not settings.local_mode
    assert settings.serving_problems() == []
    assert settings.allowed_tenants == ("tenant-nhs", "tenant-two")
    assert "smba.trafficmanager.net" in settings.service_url_hosts


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"MicrosoftAppPassword": ""}, "MicrosoftAppPassword"),
        ({"MicrosoftAppTenantId": ""}, "MicrosoftAppTenantId"),
        ({"FAQBOT_ALLOWED_TENANTS": " , "}, "FAQBOT_ALLOWED_TENANTS"),
        ({"FAQBOT_LOCAL_MODE": "1"}, "FAQBOT_LOCAL_MODE"),
    ],
)
def test_production_without_a_safeguard_names_it(change: dict[str, str], named: str) -> None:
    problems = Settings.from_env(PRODUCTION | change).serving_problems()
    assert any(named in problem for problem in problems), problems


@pytest.mark.parametrize(
    "credential",
    [
        {"MicrosoftAppType": "UserAssignedMSI"},
        {"MicrosoftAppCertificateThumbprint": "AB12", "MicrosoftAppCertificateKeyFile": "/run/secrets/bot.pem"},
    ],
)
def test_managed_identity_or_certificate_is_a_credential(credential: dict[str, str]) -> None:
    assert Settings.from_env(PRODUCTION | {"MicrosoftAppPassword": ""} | credential).serving_problems() == []


def test_bot_framework_variables() -> None:
    settings = Settings.from_env(
        {
            "MicrosoftAppId": "00000000-0000-0000-0000-000000000001",
            "MicrosoftAppPassword": "secret",
            "MicrosoftAppType": "SingleTenant",
            "MicrosoftAppTenantId": "tenant",
            "PORT": "8080",
            "FAQBOT_ANSWER_THRESHOLD": "0.9",
            "FAQBOT_PSEUDONYM_SALT": "pepper",
        }
    )
    assert not settings.local_mode
    assert settings.bind_host == "0.0.0.0"
    assert settings.serving_problems() == [
        "FAQBOT_ALLOWED_TENANTS is not set: list the Entra tenant id(s) allowed to use the bot"
    ]
    assert (settings.port, settings.answer_threshold, settings.app_tenant_id) == (8080, 0.9, "tenant")
    assert "secret" not in repr(settings)


def test_the_dialogue_bands_come_from_the_environment() -> None:
    bands = Settings.from_env(
        {
            "FAQBOT_ANSWER_THRESHOLD": "0.75",
            "FAQBOT_NEW_ENTRY_ANSWER_THRESHOLD": "0.95",
            "FAQBOT_SUGGEST_THRESHOLD": "0.2",
            "FAQBOT_NEW_ENTRY_SUGGEST_THRESHOLD": "0.08",
        }
    ).dialogue_settings
    assert (bands.answer_at, bands.new_entry_answer_at, bands.suggest_at, bands.new_entry_suggest_at) == (
        0.75,
        0.95,
        0.2,
        0.08,
    )
    with pytest.raises(SettingsError, match="^FAQBOT_NEW_ENTRY_SUGGEST_THRESHOLD: "):
        Settings.from_env({"FAQBOT_NEW_ENTRY_SUGGEST_THRESHOLD": "0"})


def test_empty_values_count_as_unset() -> None:
    assert Settings.from_env({"PORT": "", "MicrosoftAppId": "  "}).port == 3978


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"FAQBOT_ANSWER_THRESHOLD": "2"}, "FAQBOT_ANSWER_THRESHOLD"),
        ({"FAQBOT_HR_DIRECT_URL": "javascript:alert(1)"}, "FAQBOT_HR_DIRECT_URL"),
    ],
)
def test_bad_values_name_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=f"^{named}: "):
        Settings.from_env(environ)


def test_curation_settings() -> None:
    settings = Settings.from_env({"PORT": "4000", "FAQBOT_RELOAD_SECONDS": "0", "FAQBOT_REVIEW_MONTHS": "6"})
    assert (settings.reload_seconds, settings.review_months) == (0, 6)
    assert settings.pid_path.name == "faqbot-4000.pid"
    assert Settings.from_env({"FAQBOT_PID_FILE": "/run/faqbot/bot.pid"}).pid_path.name == "bot.pid"
    for name, value in (("FAQBOT_RELOAD_SECONDS", "-1"), ("FAQBOT_REVIEW_MONTHS", "0")):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env({name: value})


def test_hr_direct_channel_and_registrars() -> None:
    settings = Settings.from_env(
        {"FAQBOT_HR_CHANNEL_ID": "19:hr@thread.tacv2", "FAQBOT_HR_REGISTRARS": " aad-1, aad-2 ,"}
    )
    assert settings.hr_channel_id == "19:hr@thread.tacv2"
    assert settings.hr_registrar_ids == frozenset({"aad-1", "aad-2"})
    with pytest.raises(SettingsError, match="FAQBOT_HR_CHANNEL_ID"):
        Settings.from_env({"FAQBOT_HR_CHANNEL_ID": "general"})


def test_every_setting_is_documented_in_the_readme() -> None:
    from pathlib import Path

    from adapters.config.settings import ENVIRONMENT

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert [name for name in ENVIRONMENT if f"`{name}`" not in readme] == []


def test_load_settings() -> None:
    defaults = Settings.from_env({})
    assert (defaults.outbound_per_second, defaults.max_turns_in_flight, defaults.busy_retry_after) == (50, 64, 1)
    assert defaults.hr_channel_cache_seconds == 10
    settings = Settings.from_env(
        {
            "FAQBOT_OUTBOUND_PER_SECOND": "0",
            "FAQBOT_MAX_TURNS_IN_FLIGHT": "0",
            "FAQBOT_BUSY_RETRY_AFTER": "5",
            "FAQBOT_HR_CHANNEL_CACHE_SECONDS": "0",
        }
    )
    assert (settings.outbound_per_second, settings.max_turns_in_flight, settings.busy_retry_after) == (0, 0, 5)
    assert settings.hr_channel_cache_seconds == 0
    for name, value in (
        ("FAQBOT_OUTBOUND_PER_SECOND", "-1"),
        ("FAQBOT_MAX_TURNS_IN_FLIGHT", "-1"),
        ("FAQBOT_BUSY_RETRY_AFTER", "0"),
        ("FAQBOT_HR_CHANNEL_CACHE_SECONDS", "-1"),
    ):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env({name: value})
