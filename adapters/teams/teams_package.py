"""The Teams app package: manifest/ filled from configuration, checked, and zipped for upload.

The official schema check runs in Node (`tools/validate_manifest.mjs`, npm `@microsoft/app-manifest`);
this module does what Python can check by itself: required ids, field lengths, icon sizes and the
outline icon being white on transparent.
"""

from __future__ import annotations

import copy
import json
import shutil
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from adapters.config.settings import Settings
from bot import Organisation
from knowledge.errors import FaqbotError

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_DIR = ROOT / "manifest"
TOOLS_DIR = ROOT / "tools"
ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FULL_DESCRIPTION = (
    "Ask HR policy questions in your own words and get HR's approved answer, word for word, "
    "with its policy reference. Browse topics, and ask {helpdesk} when the bot has no answer."
)


class PackageError(FaqbotError):
    """The package cannot be built; the message says what to fix."""

    exit_code = 5
    summary = "cannot build the Teams package"


@dataclass(frozen=True)
class Icon:
    width: int
    height: int
    rgba: tuple[tuple[int, int, int, int], ...] | None  # decoded for 8-bit RGBA PNGs only


def manifest_for(settings: Settings, template_dir: Path = MANIFEST_DIR) -> dict[str, Any]:
    """The manifest of `template_dir` with ids, names, descriptions and URLs from `settings`."""
    if not settings.app_id:
        raise PackageError("MicrosoftAppId: set the bot's Entra app id (GUID) to build the Teams package")
    template = json.loads((template_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest: dict[str, Any] = copy.deepcopy(template)
    manifest["id"] = settings.teams_app_id or settings.app_id
    manifest["version"] = settings.app_version
    organisation = settings.organisation
    manifest["developer"] = {
        "name": settings.developer_name or _developer_name(organisation),
        "websiteUrl": settings.developer_url,
        "privacyUrl": settings.privacy_url,
        "termsOfUseUrl": settings.terms_url,
    }
    manifest["name"] = {
        "short": settings.app_name,
        "full": settings.app_full_name or _full_name(settings.app_name, organisation),
    }
    manifest["description"] = {
        "short": settings.app_description,
        "full": settings.app_full_description or organisation.fill(FULL_DESCRIPTION),
    }
    for bot in manifest["bots"]:
        bot["botId"] = settings.app_id
        for command_list in bot.get("commandLists", ()):
            for command in command_list["commands"]:
                command["title"] = organisation.fill(command["title"])
                command["description"] = organisation.fill(command["description"])
    manifest["validDomains"] = [settings.bot_domain] if settings.bot_domain else []
    return manifest


def _developer_name(organisation: Organisation) -> str:
    """Teams allows 32 characters: the organisation's name when it fits, else its short name."""
    for name in (organisation.name, organisation.short_name):
        if len(name) <= 32:
            return name
    raise PackageError(
        "FAQBOT_DEVELOPER_NAME: the organisation's name is too long for Teams (32 characters): "
        "set FAQBOT_DEVELOPER_NAME or FAQBOT_ORGANISATION_SHORT_NAME"
    )


def _full_name(app_name: str, organisation: Organisation) -> str:
    """'<app> for <organisation> staff' within Teams' 100 characters (else with the short name)."""
    full = f"{app_name} for {organisation.name} staff"
    return full if len(full) <= 100 else f"{app_name} for {organisation.short_name} staff"


def read_icon(data: bytes) -> Icon:
    """Size (and pixels, for 8-bit RGBA non-interlaced PNGs) of a PNG file's bytes."""
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise PackageError("icon is not a PNG file")
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if (depth, colour, interlace) != (8, 6, 0):
        return Icon(width, height, None)
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * 4
    if any(raw[y * (stride + 1)] != 0 for y in range(height)):
        return Icon(width, height, None)  # filtered rows: size is still checked, pixels are not
    pixels = tuple(
        tuple(raw[y * (stride + 1) + 1 + x * 4 : y * (stride + 1) + 5 + x * 4])
        for y in range(height)
        for x in range(width)
    )
    return Icon(width, height, pixels)  # type: ignore[arg-type]


def check_icons(manifest: dict[str, Any], folder: Path) -> None:
    """Raise PackageError unless the icons exist at their sizes and the outline is white on transparent."""
    for role, size in ICON_SIZES.items():
        path = folder / manifest["icons"][role]
        if not path.is_file():
            raise PackageError(f"icons.{role}: {path.name} not found in {folder}")
        icon = read_icon(path.read_bytes())
        if (icon.width, icon.height) != size:
            raise PackageError(f"icons.{role}: {path.name} is {icon.width}x{icon.height}, must be {size[0]}x{size[1]}")
        if role == "outline" and icon.rgba is not None:
            visible = [p for p in icon.rgba if p[3] > 0]
            if len(visible) == len(icon.rgba):
                raise PackageError("icons.outline: the background must be transparent")
            if any(min(p[:3]) < 0xF0 for p in visible):
                raise PackageError("icons.outline: visible pixels must be white")


def build_package(settings: Settings, out: Path, template_dir: Path = MANIFEST_DIR) -> Path:
    """Write the app package zip (manifest.json and icons at its root) to `out`."""
    manifest = manifest_for(settings, template_dir)
    check_icons(manifest, template_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for role in ICON_SIZES:
            name = manifest["icons"][role]
            package.write(template_dir / name, arcname=name)
    return out


def official_validation(package: Path, tools_dir: Path = TOOLS_DIR) -> tuple[bool, str]:
    """Validate `package` against the official Teams schema (Node); (passed, report)."""
    node = shutil.which("node")
    if node is None or not (tools_dir / "node_modules" / "@microsoft" / "app-manifest").is_dir():
        raise PackageError("the official validator is not installed: run `make tools` (needs Node 20 and npm)")
    result = subprocess.run(  # noqa: S603 - fixed script, our own path
        [node, str(tools_dir / "validate_manifest.mjs"), str(package)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def chat_link(settings: Settings) -> str:
    """The Teams deep link that opens a 1:1 chat with the bot (for managers' welcome e-mails)."""
    if not settings.app_id:
        raise PackageError("MicrosoftAppId: set the bot's Entra app id to make the Teams link")
    return f"https://teams.microsoft.com/l/chat/0/0?users={quote('28:' + settings.app_id, safe=':')}"
