"""Price changes, reloads, circuit breaking and shutdown: each test has its own daemon."""

import concurrent.futures
import json
import signal
import sqlite3
import time

import pytest
from openai import OpenAI

from harness import KEY, Daemon, control_get

MESSAGES = [{"role": "user", "content": "Say hello."}]


@pytest.fixture
def own_daemon(mock):
    d = Daemon(mock)
    yield d
    d.stop()


def client_for(daemon):
    return OpenAI(base_url=daemon.url, api_key=KEY, max_retries=0, timeout=30)


def provider_of(client):
    raw = client.chat.completions.with_raw_response.create(model="auto", messages=MESSAGES)
    return raw.headers["x-tokenbroker-provider"], raw.headers["x-tokenbroker-decision"]


def test_a_price_cut_moves_the_next_request_and_is_logged_as_a_switch(own_daemon):
    client = client_for(own_daemon)
    assert provider_of(client)[0] == "alpha"
    # gamma cuts its price below alpha's: the provider file changes and the daemon reloads.
    own_daemon.write_provider("gamma", "gemini", "gamma-m-open", "0.01", "0.02")
    own_daemon.signal(signal.SIGHUP)
    own_daemon.wait_for_log("reloaded:")
    provider, decision = provider_of(client)
    assert provider == "gamma"
    row = own_daemon.decision(decision)
    assert row["switched"] == 1 and row["previous_provider"] == "alpha"


def test_an_offer_taken_out_of_its_provider_file_stops_routing_at_the_reload(own_daemon):
    client = client_for(own_daemon)
    assert provider_of(client)[0] == "alpha"
    text = (own_daemon.providers / "alpha.yaml").read_text()
    offers = text.index("offers:")
    (own_daemon.providers / "alpha.yaml").write_text(text[:offers] + "offers: []\n")
    own_daemon.signal(signal.SIGHUP)
    own_daemon.wait_for_log("reloaded:")
    assert provider_of(client)[0] == "beta"
    status, alpha = control_get(own_daemon, "/v1/providers/alpha")
    assert status == 200 and alpha["offers"] == 0, alpha


def test_sighup_with_a_broken_provider_file_keeps_the_running_catalogue(own_daemon):
    client = client_for(own_daemon)
    (own_daemon.providers / "alpha.yaml").write_text("id: alpha\nwire_format: smoke-signals\n")
    own_daemon.signal(signal.SIGHUP)
    own_daemon.wait_for_log("reload rejected")
    assert "alpha.yaml" in own_daemon.log_text()
    assert provider_of(client)[0] == "alpha"


def test_the_circuit_opens_after_repeated_failures_and_routing_skips_the_offer(mock):
    daemon = Daemon(mock, extra_config="")
    try:
        client = client_for(daemon)
        mock.set("alpha-m-open", {"error": "server_error"})
        for _ in range(5):
            assert provider_of(client)[0] == "beta"
        before = mock.stats()["models"].get("alpha-m-open", {}).get("requests", 0)
        provider, decision = provider_of(client)
        assert provider == "beta"
        # The open circuit takes alpha out of routing: it is not even tried.
        assert mock.stats()["models"]["alpha-m-open"]["requests"] == before
        assert json.loads(daemon.decision(decision)["attempts"]) == ["beta/m-open:ok"]
    finally:
        daemon.stop()


def test_sigterm_lets_requests_in_flight_finish_and_logs_them_all(mock):
    daemon = Daemon(mock)
    client = client_for(daemon)
    mock.set("alpha-m-open", {"first_token_latency_ms": 1500})
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(provider_of, client) for _ in range(6)]
        time.sleep(0.5)
        daemon.signal(signal.SIGTERM)
        results = [future.result(timeout=30) for future in futures]
    assert [provider for provider, _ in results] == ["alpha"] * 6
    assert daemon.wait(timeout=30) == 0
    logged = {row["id"]: row for row in daemon.decisions()}
    for _, decision in results:
        assert logged[decision]["status"] == "ok"
    daemon.stop()


def test_requests_still_running_when_the_drain_runs_out_are_stopped_and_logged(mock):
    # The service group's own limit used to cancel the decision log with the server: these
    # rows were lost, and the daemon took the drain plus two seconds to exit.
    daemon = Daemon(mock, drain_seconds=1)
    client = client_for(daemon)
    mock.set("alpha-m-open", {"first_token_latency_ms": 20000})

    def attempt(stream):
        try:
            if stream:
                for _ in client.chat.completions.create(model="auto", messages=MESSAGES, stream=True):
                    pass
            else:
                client.chat.completions.create(model="auto", messages=MESSAGES)
            return "answered"
        except Exception as error:  # the connection is closed, as nginx's worker_shutdown_timeout does
            return type(error).__name__

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(attempt, index % 2 == 1) for index in range(4)]
        deadline = time.monotonic() + 10
        while mock.stats()["models"].get("alpha-m-open", {}).get("requests", 0) < 4:
            assert time.monotonic() < deadline, "the requests did not reach the mock"
            time.sleep(0.05)
        started = time.monotonic()
        daemon.signal(signal.SIGTERM)
        assert daemon.wait(timeout=15) == 0
        took = time.monotonic() - started
        outcomes = [future.result(timeout=15) for future in futures]
    assert "answered" not in outcomes
    # The server's own deadline (1 s), not the service group's last resort (11 s).
    assert took < 8, f"the drain is 1 s; exiting took {took:.1f} s"
    rows = daemon.decisions()
    assert len(rows) == 4
    assert {row["status"] for row in rows} == {"cancelled"}
    assert all(json.loads(row["attempts"]) == ["alpha/m-open:cancelled"] for row in rows)
    daemon.stop()


def test_after_kill_9_the_database_opens_clean_and_earlier_decisions_are_there(mock):
    daemon = Daemon(mock)
    client = client_for(daemon)
    decisions = [provider_of(client)[1] for _ in range(5)]
    time.sleep(0.3)  # more than one commit window (50 ms)
    daemon.signal(signal.SIGKILL)
    daemon.wait()
    connection = sqlite3.connect(daemon.db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    logged = {row[0] for row in connection.execute("SELECT id FROM decisions")}
    connection.close()
    assert set(decisions) <= logged
    daemon.stop()


def test_a_second_daemon_on_the_same_state_refuses_to_start(own_daemon, mock):
    with pytest.raises(RuntimeError) as raised:
        Daemon(mock, directory=own_daemon.directory)
    assert "another tokenbrokerd" in str(raised.value)


def test_when_every_adequate_offer_has_an_open_circuit_the_answer_is_503_with_retry_after(mock):
    import openai
    daemon = Daemon(mock)
    try:
        client = client_for(daemon)
        for model in ("alpha-m-open", "beta-m-open", "gamma-m-open"):
            mock.set(model, {"error": "server_error"})
        for _ in range(5):
            with pytest.raises(openai.InternalServerError) as raised:
                client.chat.completions.create(model="auto", messages=MESSAGES)
            assert raised.value.status_code == 502
        with pytest.raises(openai.InternalServerError) as raised:
            client.chat.completions.create(model="auto", messages=MESSAGES)
        assert raised.value.status_code == 503
        assert raised.value.body["code"] == "upstream_unavailable"
        assert 1 <= int(raised.value.response.headers["retry-after"]) <= 30
    finally:
        daemon.stop()


def test_a_drained_provider_gets_no_new_requests_and_shows_its_calls_in_flight(mock):
    import subprocess
    from harness import BIN
    daemon = Daemon(mock)
    try:
        client = client_for(daemon)
        mock.set("alpha-m-open", {"first_token_latency_ms": 1500})
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            slow = [pool.submit(provider_of, client) for _ in range(2)]
            time.sleep(0.6)
            status, alpha = control_get(daemon, "/v1/providers/alpha")
            assert status == 200 and alpha["in_flight"] == 2
            socket_path = str(daemon.db).rsplit("/", 1)[0] + "/tokenbroker.sock"
            drained = subprocess.run(
                [str(BIN / "tokenbroker"), "providers", "drain", "alpha", "--socket", socket_path],
                capture_output=True, text=True, timeout=30)
            assert drained.returncode == 0, drained.stderr
            assert "alpha: draining" in drained.stdout and "2 in flight" in drained.stdout
            # New requests go elsewhere at once; the two in flight still finish on alpha.
            assert provider_of(client)[0] == "beta"
            assert [future.result(timeout=30)[0] for future in slow] == ["alpha", "alpha"]
        assert control_get(daemon, "/v1/providers/alpha")[1]["in_flight"] == 0
    finally:
        daemon.stop()


def test_a_port_in_use_is_one_clear_line_and_exit_1(tmp_path):
    import socket
    import subprocess
    from harness import BIN, ROOT
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(BIN / "tokenbrokerd"), "--listen", f"127.0.0.1:{port}", "--db", str(tmp_path / "tb.sqlite")],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, cwd=ROOT)
    assert result.returncode == 1
    assert f"tokenbrokerd: listen: 127.0.0.1:{port} is already in use" in result.stderr


def test_an_operators_disable_survives_a_restart(mock):
    import subprocess
    from harness import BIN
    daemon = Daemon(mock)
    directory = daemon.directory
    socket_path = str(daemon.db).rsplit("/", 1)[0] + "/tokenbroker.sock"
    disabled = subprocess.run(
        [str(BIN / "tokenbroker"), "providers", "disable", "alpha", "--socket", socket_path],
        capture_output=True, text=True, timeout=30)
    assert disabled.returncode == 0, disabled.stderr
    daemon.stop()
    restarted = Daemon(mock, directory=directory)
    try:
        assert "provider alpha stays disabled" in restarted.log_text()
        assert control_get(restarted, "/v1/providers/alpha")[1]["state"] == "disabled"
        assert provider_of(client_for(restarted))[0] == "beta"
        enabled = subprocess.run(
            [str(BIN / "tokenbroker"), "providers", "enable", "alpha", "--socket", socket_path],
            capture_output=True, text=True, timeout=30)
        assert enabled.returncode == 0, enabled.stderr
        assert provider_of(client_for(restarted))[0] == "alpha"
    finally:
        restarted.stop()


def test_the_access_log_has_one_line_per_request_when_switched_on(mock):
    daemon = Daemon(mock, extra_config="access_log: true\n")
    try:
        _, decision = provider_of(client_for(daemon))
        daemon.wait_for_log(f"decision={decision}")
        line = next(line for line in daemon.log_text().splitlines() if decision in line)
        assert "POST /v1/chat/completions 200" in line and "provider=alpha" in line
        assert KEY not in daemon.log_text()
    finally:
        daemon.stop()


def open_file_limits(pid):
    line = next(l for l in open(f"/proc/{pid}/limits") if l.startswith("Max open files"))
    soft, hard = line.split()[3:5]
    return int(soft), int(hard)


def chats_at_once(daemon, count):
    """`count` chat requests sent at once: each answer's (status, provider), or (status, error body)."""
    import urllib.error
    import urllib.request
    body = json.dumps({"model": "auto", "messages": MESSAGES}).encode()

    def call(_):
        request = urllib.request.Request(
            daemon.url + "/chat/completions", data=body,
            headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers["x-tokenbroker-provider"]
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


def test_a_low_soft_open_file_limit_is_raised_so_more_requests_fit_in_flight_than_it_allowed(mock):
    import resource
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 1024:
        pytest.skip(f"the hard open-file limit here is {hard}; the test needs room above 128")
    daemon = Daemon(mock, open_files=(128, hard))
    try:
        soft_now, hard_now = open_file_limits(daemon.proc.pid)
        assert soft_now == min(hard_now, 1 << 20) and soft_now > 128
        assert "open-file limit raised from 128" in daemon.log_text()
        # 160 requests held 400 ms upstream need ~320 descriptors at once: over the old limit.
        mock.set("alpha-m-open", {"first_token_latency_ms": 400})
        assert chats_at_once(daemon, 160) == [(200, "alpha")] * 160
    finally:
        daemon.stop()


def test_a_low_hard_open_file_limit_is_named_in_a_warning(mock):
    daemon = Daemon(mock, open_files=(256, 256))
    try:
        assert open_file_limits(daemon.proc.pid) == (256, 256)
        assert "open-file limit 256 (hard limit 256) allows only about 96 requests in flight" in daemon.log_text()
    finally:
        daemon.stop()


def test_connections_the_daemon_cannot_open_fail_over_to_a_503_but_open_no_circuit(mock):
    """Out of descriptors, the daemon's upstream sockets fail: those requests end in a 503
    naming localResources, and no provider's circuit opens for it (the previous build opened
    alpha's and sent the next request to beta)."""
    daemon = Daemon(mock, open_files=(128, 128))
    try:
        # Long enough for all 200 to be in flight at once even on a slow machine.
        mock.set("alpha-m-open", {"first_token_latency_ms": 1500})
        results = chats_at_once(daemon, 200)
        statuses = [status for status, _ in results]
        assert set(statuses) <= {200, 503}, statuses
        refused = [text for status, text in results if status == 503]
        assert refused, "128 descriptors should not hold 200 requests: the test proves nothing"
        assert all("localResources" in text for text in refused), refused[0]
        assert "cannot open a connection to alpha" in daemon.log_text()

        mock.reset()
        provider, decision = provider_of(client_for(daemon))
        assert provider == "alpha"
        assert json.loads(daemon.decision(decision)["attempts"]) == ["alpha/m-open:ok"]
        status, providers = control_get(daemon, "/v1/providers")
        assert status == 200 and all(not p["open_circuits"] for p in providers), providers
    finally:
        daemon.stop()


def test_a_client_that_goes_quiet_is_closed_after_the_idle_timeout_but_a_slow_answer_is_not_cut(mock):
    import socket
    daemon = Daemon(mock, extra_config="idle_timeout_seconds: 1\n")

    def closed_within_seconds(sent):
        """Sends `sent` on a new connection and waits for the daemon to close it."""
        host, port = daemon.address.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(sent)
            start = time.monotonic()
            while connection.recv(65536):
                pass
            return time.monotonic() - start

    head = f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
    try:
        # Half a body, then nothing: the daemon closes the connection instead of holding it.
        assert closed_within_seconds((head + "Content-Length: 100\r\n\r\n{\"model\":\"").encode()) < 5
        # A declared length far over the limit and no body (answering 413 at once would leave a
        # client that is sending the body blocked on a full window): closed as quiet too.
        assert closed_within_seconds((head + "Content-Length: 999999999999\r\n\r\n").encode()) < 5
        # Half a request head, then nothing: closed too.
        assert closed_within_seconds(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n") < 5
        # An upstream that takes longer than the idle timeout to answer is waited for.
        mock.set("alpha-m-open", {"first_token_latency_ms": 2500})
        assert provider_of(client_for(daemon))[0] == "alpha"
    finally:
        daemon.stop()
