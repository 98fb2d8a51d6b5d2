"""Provider credentials never leave the daemon: not in answers, errors, logs, metrics or decisions."""

import json
import tempfile
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openai
import pytest
from openai import OpenAI

from harness import KEY, MODELS, POLICIES, Daemon, provider_file

# No sk- prefix: the heuristics would not spot it; only the exact-key scrub does.
SECRET = "plainTOPSECRETvalue7731"


class EchoingProvider(BaseHTTPRequestHandler):
    """A provider that fails with a 500 whose text echoes the key it was sent, mangled."""

    def do_POST(self):
        sent = self.headers.get("Authorization", "").removeprefix("Bearer ")
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"error": {"message": f"upstream broke; your key was <{sent}> ({sent[::-1][::-1]})",
                                     "type": "server_error"}}).encode()
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.seen.append(sent)

    def log_message(self, *args):
        pass


@pytest.fixture
def echoing_provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoingProvider)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_a_key_echoed_by_a_provider_reaches_no_answer_log_metric_or_decision(mock, echoing_provider):
    directory = tempfile.mkdtemp(prefix="tb-e2e-secret-")
    providers = Path(directory, "providers")
    providers.mkdir()
    Path(providers, "models.yaml").write_text(MODELS)
    Path(providers, "policies.yaml").write_text(POLICIES)
    Path(providers, "alpha.yaml").write_text(provider_file(
        "alpha", "openai", "alpha-m-open", "0.10", "0.20", base_url=f"http://127.0.0.1:{echoing_provider.server_port}/v1"))
    daemon = Daemon(mock, directory=directory, provider_env={"E2E_ALPHA_KEY": SECRET})
    try:
        client = OpenAI(base_url=daemon.url, api_key=KEY, max_retries=0)
        with pytest.raises(openai.APIStatusError) as raised:
            client.chat.completions.create(model="alpha/m-open", messages=[{"role": "user", "content": "hi"}])
        assert echoing_provider.seen == [SECRET]  # the real key was sent to the provider…
        assert raised.value.status_code == 502
        answer = json.dumps(raised.value.body)
        assert "upstream broke" in answer and "[redacted]" in answer
        metrics = urllib.request.urlopen(daemon.url.removesuffix("/v1") + "/metrics").read().decode()
        decisions = json.dumps(daemon.decisions())
        for text in (answer, metrics, decisions, daemon.log_text()):  # …and reached nothing else
            assert SECRET not in text
            assert "TOPSECRET" not in text
    finally:
        daemon.stop()
