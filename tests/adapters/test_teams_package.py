"""The Teams app package: built from manifest/ and configuration, valid by the official schema."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from adapters.config.settings import Settings
from adapters.teams.teams_package import (
    MANIFEST_DIR,
    PackageError,
    build_package,
    chat_link,
    check_icons,
    manifest_for,
    official_validation,
    read_icon,
)
from app import main

BOT_ID = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
TEAMS_APP_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


@pytest.fixture
def configured() -> Settings:
    return Settings(
        app_id=BOT_ID,
        pseudonym_salt="s",
        teams_app_id=TEAMS_APP_ID,
        bot_domain="faqbot.example.org",
        privacy_url="https://hr.example.org/privacy",
        app_name="HR FAQ",
    )


def test_package_is_filled_from_configuration_and_passes_the_official_schema(
    configured: Settings, tmp_path: Path
) -> None:
    package = build_package(configured, tmp_path / "app.zip")
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["id"] == TEAMS_APP_ID
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert manifest["validDomains"] == ["faqbot.example.org"]
    assert manifest["developer"]["privacyUrl"] == "https://hr.example.org/privacy"
    assert manifest["name"]["short"] == "HR FAQ"
    assert manifest["manifestVersion"] == "1.30"
    assert manifest["$schema"].endswith("/v1.30/MicrosoftTeams.schema.json")
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    # Private and shared channels, where HR teams keep a confidential queue (manifest 1.25 and later).
    assert manifest["supportsChannelFeatures"] == "tier1"
    commands = {
        tuple(c["scopes"]): [command["title"] for command in c["commands"]] for c in manifest["bots"][0]["commandLists"]
    }
    # Each command only where it works: the form and a person's requests are 1:1 only.
    assert commands == {
        ("personal",): ["help", "topics", "ask HR Direct", "my requests"],
        ("team",): ["help", "topics", "register this channel", "faq drafts"],
        ("groupChat",): ["help", "topics"],
    }
    passed, report = official_validation(package)
    assert passed, report
    assert "VALID" in report


def test_names_and_commands_default_from_the_organisation(configured: Settings) -> None:
    northfield = configured.model_copy(
        update={
            "organisation_name": "Northfield Community Health NHS Trust",
            "organisation_short_name": "Northfield CHT",
            "helpdesk_name": "People Services",
        }
    )
    manifest = manifest_for(northfield)
    assert manifest["name"]["full"] == "HR FAQ for Northfield Community Health NHS Trust staff"
    assert manifest["developer"]["name"] == "Northfield CHT"  # the full name is over Teams' 32 characters
    assert "ask People Services when the bot has no answer" in manifest["description"]["full"]
    commands = {c["title"]: c["description"] for c in manifest["bots"][0]["commandLists"][0]["commands"]}
    assert commands["ask People Services"] == "Send your question to People Services, the HR helpdesk"
    team = {c["title"]: c["description"] for c in manifest["bots"][0]["commandLists"][1]["commands"]}
    assert team["register this channel"] == "People Services staff: receive staff questions in this channel"
    assert "HR Direct" not in json.dumps(manifest)
    assert "NHS" not in json.dumps(manifest).replace("NHS Trust", "")


def test_an_organisation_name_too_long_for_teams_needs_a_developer_name(configured: Settings) -> None:
    long_name = configured.model_copy(update={"organisation_name": "Northfield Community Health NHS Trust"})
    with pytest.raises(PackageError, match="FAQBOT_DEVELOPER_NAME"):
        manifest_for(long_name)
    named = long_name.model_copy(update={"developer_name": "Northfield NHS"})
    assert manifest_for(named)["developer"]["name"] == "Northfield NHS"


def test_the_official_check_rejects_a_manifest_that_breaks_the_schema(configured: Settings, tmp_path: Path) -> None:
    package = build_package(configured, tmp_path / "app.zip")
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(package) as good, zipfile.ZipFile(broken, "w") as bad:
        manifest = json.loads(good.read("manifest.json"))
        manifest["bots"][0]["scopes"] = ["everywhere"]
        del manifest["developer"]
        bad.writestr("manifest.json", json.dumps(manifest))
        for name in ("color.png", "outline.png"):
            bad.writestr(name, good.read(name))
    passed, report = official_validation(broken)
    assert not passed
    assert "INVALID" in report and "developer" in report


def test_the_official_schema_checks_the_channel_features_value(configured: Settings, tmp_path: Path) -> None:
    package = build_package(configured, tmp_path / "app.zip")
    wrong = tmp_path / "wrong.zip"
    with zipfile.ZipFile(package) as good, zipfile.ZipFile(wrong, "w") as bad:
        manifest = json.loads(good.read("manifest.json"))
        manifest["supportsChannelFeatures"] = ["privateChannels", "sharedChannels"]  # not the schema's shape
        bad.writestr("manifest.json", json.dumps(manifest))
        for name in ("color.png", "outline.png"):
            bad.writestr(name, good.read(name))
    passed, report = official_validation(wrong)
    assert not passed
    assert "supportsChannelFeatures" in report


def test_icons_are_the_sizes_teams_requires() -> None:
    assert (
        read_icon((MANIFEST_DIR / "color.png").read_bytes()).width,
        read_icon((MANIFEST_DIR / "color.png").read_bytes()).height,
    ) == (192, 192)
    outline = read_icon((MANIFEST_DIR / "outline.png").read_bytes())
    assert (outline.width, outline.height) == (32, 32)
    assert outline.rgba is not None
    assert any(p[3] == 0 for p in outline.rgba) and all(p[:3] == (255, 255, 255) for p in outline.rgba if p[3])


def test_icon_of_the_wrong_size_is_refused(configured: Settings, tmp_path: Path) -> None:
    shutil.copy(MANIFEST_DIR / "manifest.json", tmp_path / "manifest.json")
    shutil.copy(MANIFEST_DIR / "outline.png", tmp_path / "color.png")  # 32x32 where 192x192 is required
    shutil.copy(MANIFEST_DIR / "outline.png", tmp_path / "outline.png")
    with pytest.raises(PackageError, match="icons.color.*192x192"):
        check_icons(manifest_for(configured, tmp_path), tmp_path)
    with pytest.raises(PackageError, match="icons.color"):
        build_package(configured, tmp_path / "out.zip", tmp_path)


def test_package_needs_the_bot_app_id() -> None:
    with pytest.raises(PackageError, match="MicrosoftAppId"):
        manifest_for(Settings())


def test_chat_link_for_managers_opens_a_chat_with_the_bot(configured: Settings) -> None:
    assert chat_link(configured) == f"https://teams.microsoft.com/l/chat/0/0?users=28:{BOT_ID}"


def test_package_and_link_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", BOT_ID)
    monkeypatch.setenv("FAQBOT_PSEUDONYM_SALT", "s")
    out = tmp_path / "teams.zip"
    assert main(["package", "--out", str(out)]) == 0
    assert out.is_file() and "VALID" in capsys.readouterr().out
    assert main(["link"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"users=28:{BOT_ID}")
    monkeypatch.delenv("MicrosoftAppId")
    assert main(["package", "--out", str(out)]) == 5
