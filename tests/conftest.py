from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.settings import Settings
from app import create_app
from bot import Dialogue
from knowledge import Corpus, Matcher, load_corpus
from tests.fake_connector import FakeConnector, fake_connector

SHIPPED_CORPUS = Path(__file__).resolve().parent.parent / "knowledge" / "data"
HR_DIRECT_URL = "https://teams.microsoft.com/l/chat/0/0?users=hr.direct@example.org"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(SHIPPED_CORPUS)


@pytest.fixture(scope="session")
def matcher(corpus: Corpus) -> Matcher:
    return Matcher(corpus)


@pytest.fixture
def dialogue(matcher: Matcher) -> Dialogue:
    return Dialogue(matcher)


@pytest.fixture
def settings() -> Settings:
    return Settings(hr_direct_url=HR_DIRECT_URL, local_mode=True, metrics_port=0)


@pytest_asyncio.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with fake_connector() as fake:
        yield fake


@pytest_asyncio.fixture
async def bot_client(settings: Settings) -> AsyncIterator[TestClient]:
    """The real application served over HTTP on 127.0.0.1."""
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        yield client
