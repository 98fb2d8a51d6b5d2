"""Real processes for the end-to-end tests: tokenbroker-mock and tokenbrokerd, started from
the debug build, each on a free port, with a small catalogue of three providers (one per wire
format) that all sell the same model at different prices."""

import os
import resource
import signal
import socket
import sqlite3
import subprocess
import tempfile
import textwrap
import threading
import time
import json
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("TOKENBROKER_BIN", ROOT / ".build" / "debug"))
KEY = "tb-e2e-key-0123456789abcdef"
BUDGET_KEY = "tb-e2e-budget-key-0123456789"

MODELS = """
quality_source: "end-to-end fixture"
models:
  - id: m-open
    family: m
    quality: 1300
    capabilities: [tools, streaming, json_schema]
    context: 128000
    max_output: 8000
"""

POLICIES = """
policies:
  - id: auto
    description: cheapest adequate
    data_class: internal
    switching_threshold_percent: 0
  - id: unreachable
    description: a quality floor nothing meets
    min_quality: 2000
    data_class: internal
    switching_threshold_percent: 0
"""


def provider_file(provider, wire_format, upstream, input_price, output_price, base_url=None):
    return textwrap.dedent(f"""\
        id: {provider}
        name: {provider.title()}
        wire_format: {wire_format}
        base_url: {base_url or f"https://{provider}.invalid/v1"}
        credentials:
          env: E2E_{provider.upper()}_KEY
        region: us
        residency: cloud
        data_handling:
          trains_on_data: false
          max_data_class: internal
        prices:
          source: https://{provider}.invalid/pricing
          as_of: 2026-01-01
        offers:
          - model: m-open
            upstream_model: {upstream}
            input: {input_price}
            output: {output_price}
        """)


# Cheapest first: alpha (OpenAI format) < beta (Anthropic) < gamma (Gemini).
PROVIDERS = {
    "alpha": ("openai", "alpha-m-open", "0.10", "0.20"),
    "beta": ("anthropic", "beta-m-open", "0.20", "0.40"),
    "gamma": ("gemini", "gamma-m-open", "0.30", "0.60"),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A child process that prints one 'listening on ADDRESS' line when it is ready."""

    def __init__(self, args, log_path, env=None, open_files=None):
        self.log_path = log_path
        self.log = open(log_path, "wb")
        # open_files: (soft, hard) RLIMIT_NOFILE for the child, as a shell's ulimit would set it.
        limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, open_files)) if open_files else None
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
            preexec_fn=limit)
        line = self.proc.stdout.readline().decode()
        if "listening on" not in line:
            self.proc.kill()
            raise RuntimeError(f"{args[0]} did not start: {line!r}; log: {Path(log_path).read_text()}")
        self.address = line.strip().rsplit(" ", 1)[-1]
        # Keep draining stdout so the child never blocks on a full pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=30):
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def log_text(self):
        self.log.flush()
        return Path(self.log_path).read_text()


class Mock(Process):
    def __init__(self, directory):
        super().__init__(
            [str(BIN / "tokenbroker-mock"), "--listen", "127.0.0.1:0", "--exit-with-parent"],
            os.path.join(directory, "mock.log"))
        self.url = f"http://{self.address}"

    def set(self, model, behaviour):
        request = urllib.request.Request(
            f"{self.url}/_mock/models/{model}", data=json.dumps(behaviour).encode(), method="PUT")
        urllib.request.urlopen(request).read()

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/_mock/reset", data=b"", method="POST")).read()

    def stats(self):
        return json.loads(urllib.request.urlopen(f"{self.url}/_mock/stats").read())


class Daemon(Process):
    """tokenbrokerd on a fresh state directory, every provider served by the mock."""

    def __init__(self, mock, directory=None, extra_config="", provider_env=None, open_files=None, drain_seconds=20):
        self.directory = directory or tempfile.mkdtemp(prefix="tb-e2e-")
        self.providers = Path(self.directory, "providers")
        if not self.providers.exists():
            self.providers.mkdir()
            Path(self.providers, "models.yaml").write_text(MODELS)
            Path(self.providers, "policies.yaml").write_text(POLICIES)
            for name, (fmt, upstream, inp, out) in PROVIDERS.items():
                self.write_provider(name, fmt, upstream, inp, out)
        self.db = os.path.join(self.directory, "state", "tokenbroker.sqlite")
        config = Path(self.directory, "tokenbrokerd.yaml")
        config.write_text(textwrap.dedent(f"""\
            listen: 127.0.0.1:0
            db: {self.db}
            providers: {self.providers}
            demo_upstream: {mock.url}
            drain_timeout_seconds: {drain_seconds}
            circuit_breaker:
              failures: 5
              cool_down_seconds: 30
            keys:
              - tenant: e2e
                key: {KEY}
              - tenant: capped
                key: {BUDGET_KEY}
                budget_usd: "0.000001"
                period: day
            """) + extra_config)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("E2E_", "TOKENBROKER_"))}
        env.update(provider_env or {})
        super().__init__(
            [str(BIN / "tokenbrokerd"), "--config", str(config), "--exit-with-parent", "--log-level", "info"],
            os.path.join(self.directory, "daemon.log"), env=env, open_files=open_files)
        self.url = f"http://{self.address}/v1"

    def write_provider(self, name, fmt, upstream, input_price, output_price, base_url=None):
        Path(self.providers, f"{name}.yaml").write_text(
            provider_file(name, fmt, upstream, input_price, output_price, base_url))

    def decisions(self):
        connection = sqlite3.connect(self.db)
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute("SELECT * FROM decisions ORDER BY at_ms, id")]
        finally:
            connection.close()

    def decision(self, decision_id, timeout=3):
        """The logged row of one decision, once the group commit has written it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for row in self.decisions():
                if row["id"] == decision_id:
                    return row
            time.sleep(0.05)
        raise AssertionError(f"decision {decision_id} was not logged within {timeout}s")

    def wait_for_log(self, text, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.log_text():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not in the daemon's log:\n{self.log_text()}")


def control_get(daemon, path):
    """GET on the control socket (HTTP/1.1 + JSON over a Unix socket)."""
    import http.client
    import os
    import socket

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(os.path.join(os.path.dirname(daemon.db), "tokenbroker.sock"))

    connection = UnixConnection("localhost", timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, json.loads(response.read())
