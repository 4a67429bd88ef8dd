from __future__ import annotations

import pytest

from adapters.settings import Settings, SettingsError


def test_defaults_are_local_mode_on_loopback() -> None:
    settings = Settings.from_env({})
    assert settings.local_mode
    assert settings.port == 3978
    assert settings.bind_host == "127.0.0.1"


def test_bot_framework_variables() -> None:
    settings = Settings.from_env({
        "MicrosoftAppId": "00000000-0000-0000-0000-000000000001",
        "MicrosoftAppPassword": "secret",
        "MicrosoftAppType": "SingleTenant",
        "MicrosoftAppTenantId": "tenant",
        "PORT": "8080",
        "FAQBOT_ANSWER_THRESHOLD": "0.9",
        "FAQBOT_PSEUDONYM_SALT": "pepper",
    })
    assert not settings.local_mode
    assert settings.bind_host == "0.0.0.0"
    assert (settings.port, settings.answer_threshold, settings.app_tenant_id) == (8080, 0.9, "tenant")
    assert "secret" not in repr(settings)


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
