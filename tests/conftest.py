from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.config.settings import DEFAULT_EMBEDDING_CACHE, Settings
from adapters.corpus.meaning import process_vectors
from app import Components, create_app
from bot import Dialogue
from knowledge import Corpus, Matcher, Ranker, load_corpus
from knowledge.embedding import Vectors
from tests.databases import KINDS, database_url
from tests.fake_connector import FakeConnector, fake_connector
from tests.fake_credentials import FixedToken
from tests.key_server import KeyServer, key_server
from tests.support import HR_DIRECT_URL, ROOT, SHIPPED_CORPUS, production_settings

EMBEDDING_CACHE = ROOT / DEFAULT_EMBEDDING_CACHE
SDKS = ("botbuilder", "agents")
# End-to-end modules that go through every part of the SDK seam (replies, card updates, the HR
# channel's threads, invokes, installs, mentions, outbound retries, production credentials, the
# slow-down notice, undeliverable HR posts, re-delivered confirmations, a killed bot): they run once
# per SDK. Every other test runs on the default SDK.
BOTH_SDKS = frozenset(
    {
        "tests/adapters/test_messages_endpoint.py",
        "tests/adapters/test_engagement_endpoint.py",
        "tests/adapters/test_hr_direct.py",
        "tests/adapters/test_private_channel_queue.py",
        "tests/adapters/test_connector_sender.py",
        "tests/adapters/test_auth_matrix.py",
        "tests/adapters/test_load_shedding.py",
        "tests/adapters/test_report_fed.py",
        "tests/adapters/test_undeliverable_hr_post.py",
        "tests/test_crash_safety.py",
        "tests/test_playground_roundtrip.py",
        "tests/test_privacy_canary.py",
    }
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    path = metafunc.definition.path.relative_to(ROOT).as_posix()
    if "sdk" in metafunc.fixturenames and path in BOTH_SDKS:
        metafunc.parametrize("sdk", SDKS, indirect=True)


@pytest.fixture
def sdk(request: pytest.FixtureRequest) -> str:
    """The SDK under test (FAQBOT_SDK): both in `BOTH_SDKS` modules, else the default."""
    return getattr(request, "param", Settings().sdk)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(SHIPPED_CORPUS)


@pytest.fixture(scope="session")
def matcher(corpus: Corpus) -> Matcher:
    return Matcher(corpus)


@pytest.fixture(scope="session")
def vectors() -> Vectors:
    """The packaged sentence encoder, with corpus vectors cached where the bot keeps them."""
    return process_vectors(EMBEDDING_CACHE)


@pytest.fixture(scope="session")
def ranker(corpus: Corpus, vectors: Vectors) -> Ranker:
    return Ranker(corpus, vectors)


@pytest.fixture
def dialogue(ranker: Ranker) -> Dialogue:
    return Dialogue(ranker)


@pytest.fixture
def settings(tmp_path: Path, sdk: str) -> Settings:
    return Settings(
        hr_direct_url=HR_DIRECT_URL,
        local_mode=True,
        metrics_port=0,
        sdk=sdk,
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
    )


@pytest_asyncio.fixture(params=KINDS)
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty real database: once SQLite, once PostgreSQL (a fresh database on the local server)."""
    async with database_url(request.param, tmp_path) as url:
        yield url


@pytest_asyncio.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with fake_connector() as fake:
        yield fake


@pytest_asyncio.fixture
async def bot_client(settings: Settings) -> AsyncIterator[TestClient]:
    """The real application served over HTTP on 127.0.0.1."""
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        yield client


@pytest_asyncio.fixture
async def keys() -> AsyncIterator[KeyServer]:
    """A local OpenID metadata + signing-key server and token minter."""
    async with key_server() as server:
        yield server


@pytest_asyncio.fixture
async def production_client(keys: KeyServer, sdk: str) -> AsyncIterator[TestClient]:
    """The real application in production mode, authenticating against the local key server."""
    settings = production_settings(keys, sdk=sdk)
    app = create_app(settings, replace(Components.real(settings), credentials=FixedToken()))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client
