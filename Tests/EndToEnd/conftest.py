import pytest
from openai import OpenAI

from harness import KEY, Daemon, Mock


@pytest.fixture(scope="module")
def mock(tmp_path_factory):
    m = Mock(str(tmp_path_factory.mktemp("mock")))
    yield m
    m.stop()


@pytest.fixture(scope="module")
def daemon(mock):
    d = Daemon(mock)
    yield d
    d.stop()


@pytest.fixture(autouse=True)
def reset_mock(request):
    yield
    if "mock" in request.fixturenames:
        request.getfixturevalue("mock").reset()


@pytest.fixture
def client(daemon):
    return OpenAI(base_url=daemon.url, api_key=KEY, max_retries=0, timeout=30)
