"""tokenbrokerd driven by the official OpenAI Python SDK, against tokenbroker-mock."""

import json

import openai
import pytest
from openai import OpenAI

from harness import BUDGET_KEY, KEY, control_get

MESSAGES = [{"role": "user", "content": "Say hello."}]


def test_chat_completion_goes_to_the_cheapest_offer_and_is_logged(client, daemon):
    raw = client.chat.completions.with_raw_response.create(model="auto", messages=MESSAGES)
    completion = raw.parse()
    assert completion.choices[0].message.content.startswith("The mock provider answers")
    assert completion.usage.completion_tokens == 16
    assert raw.headers["x-tokenbroker-provider"] == "alpha"
    assert raw.headers["x-tokenbroker-model"] == "m-open"
    row = daemon.decision(raw.headers["x-tokenbroker-decision"])
    assert row["provider"] == "alpha" and row["status"] == "ok"
    assert json.loads(row["attempts"]) == ["alpha/m-open:ok"]
    assert row["actual_output_tokens"] == 16
    # Actual cost from the usage the provider reported, at alpha's 0.10 / 0.20 USD per Mtok.
    expected_nusd = completion.usage.prompt_tokens * 100 + 16 * 200
    assert row["actual_cost_nusd"] == expected_nusd
    cost = raw.headers["x-tokenbroker-cost-usd"]
    assert int(round(float(cost) * 1e9)) == expected_nusd


def test_streaming_chat_forwards_every_chunk(client):
    raw = client.chat.completions.with_raw_response.create(
        model="m-open", messages=MESSAGES, stream=True, stream_options={"include_usage": True})
    assert raw.headers["x-tokenbroker-provider"] == "alpha"
    chunks = list(raw.parse())
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.split() == "The mock provider answers with these words so that every token is one word and a".split()
    assert chunks[-1].usage.completion_tokens == 16


def test_streaming_through_the_anthropic_and_gemini_adapters(client, mock):
    mock.set("alpha-m-open", {"error": "server_error"})
    stream = client.chat.completions.create(model="auto", messages=MESSAGES, stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert len(text.split()) == 16
    mock.set("beta-m-open", {"error": "server_error"})
    raw = client.chat.completions.with_raw_response.create(model="auto", messages=MESSAGES, stream=True)
    assert raw.headers["x-tokenbroker-provider"] == "gamma"
    text = "".join(c.choices[0].delta.content or "" for c in raw.parse() if c.choices)
    assert len(text.split()) == 16


def test_tool_calls_round_trip(client):
    tools = [{
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
    }]
    completion = client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "call tool get_weather for Paris"}], tools=tools)
    call = completion.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "mock"}
    assert completion.choices[0].finish_reason == "tool_calls"
    follow_up = client.chat.completions.create(
        model="auto", tools=tools,
        messages=[
            {"role": "user", "content": "What is the weather in Paris?"},
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
            {"role": "tool", "tool_call_id": call.id, "content": "sunny"},
        ])
    assert follow_up.choices[0].message.content


def test_models_list_has_policies_and_models(client):
    ids = [model.id for model in client.models.list()]
    assert ids[:2] == ["auto", "unreachable"]
    assert "m-open" in ids


def test_unknown_or_missing_key_is_a_401(daemon):
    bad = OpenAI(base_url=daemon.url, api_key="tb-wrong-key-000000000000", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as raised:
        bad.chat.completions.create(model="auto", messages=MESSAGES)
    assert raised.value.status_code == 401
    assert "tb-wrong-key" not in str(raised.value.body)


def test_invalid_body_is_a_400_naming_the_field(client):
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="auto", messages=[])
    assert raised.value.body["param"] == "messages"


def test_bad_routing_header_is_a_400(client):
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(
            model="auto", messages=MESSAGES, extra_headers={"x-tokenbroker-data-class": "secret"})
    assert raised.value.body["param"] == "x-tokenbroker-data-class"


def test_unknown_model_is_a_404(client):
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="gpt-99", messages=MESSAGES)
    assert raised.value.body["code"] == "model_not_found"


def test_no_adequate_offer_is_a_422_with_reasons(client):
    with pytest.raises(openai.UnprocessableEntityError) as raised:
        client.chat.completions.create(model="unreachable", messages=MESSAGES)
    body = raised.value.body
    assert body["code"] == "no_adequate_offer"
    assert body["exclusion_counts"] == {"quality": 3}
    assert {e["offer"] for e in body["excluded"]} == {"alpha/m-open", "beta/m-open", "gamma/m-open"}
    assert all(e["detail"] == "quality 1300 below the floor 2000" for e in body["excluded"])


def test_quality_header_tightens_the_policy(client):
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(
            model="auto", messages=MESSAGES, extra_headers={"x-tokenbroker-min-quality": "1400"})


def test_budget_exhausted_is_a_429(daemon):
    capped = OpenAI(base_url=daemon.url, api_key=BUDGET_KEY, max_retries=0)
    capped.chat.completions.create(model="auto", messages=MESSAGES)  # spends more than the tiny budget
    with pytest.raises(openai.RateLimitError) as raised:
        capped.chat.completions.create(model="auto", messages=MESSAGES)
    assert raised.value.body["code"] == "budget_exhausted"


def test_failover_when_the_cheapest_provider_returns_503(client, daemon, mock):
    mock.set("alpha-m-open", {"error": "overloaded"})
    raw = client.chat.completions.with_raw_response.create(model="auto", messages=MESSAGES)
    assert raw.parse().choices[0].message.content
    assert raw.headers["x-tokenbroker-provider"] == "beta"
    row = daemon.decision(raw.headers["x-tokenbroker-decision"])
    assert json.loads(row["attempts"]) == ["alpha/m-open:503", "beta/m-open:ok"]
    assert row["provider"] == "beta" and row["status"] == "ok"


def test_every_provider_failing_is_a_503_with_the_attempts(client, mock):
    for model in ("alpha-m-open", "beta-m-open", "gamma-m-open"):
        mock.set(model, {"error": "overloaded"})
    with pytest.raises(openai.InternalServerError) as raised:
        client.chat.completions.create(model="auto", messages=MESSAGES)
    assert raised.value.status_code == 503
    assert "alpha/m-open:503" in raised.value.body["message"]


def test_metrics_count_requests_and_decisions(daemon, client):
    client.chat.completions.create(model="auto", messages=MESSAGES)
    import urllib.request
    text = urllib.request.urlopen(daemon.url.removesuffix("/v1") + "/metrics").read().decode()
    assert 'tokenbroker_decisions_total{provider="alpha"}' in text
    assert "tokenbroker_upstream_duration_seconds_bucket" in text
    assert KEY not in text


HOSTILE_BODIES = [
    b"",
    b"{",
    b"\xff\xfe\x00garbage",
    b"[]",
    b'"just a string"',
    b'{"model": 7, "messages": [{"role": "user", "content": "x"}]}',
    b'{"model": "auto", "messages": [{"role": "user", "content": "x"}], "max_tokens": 9223372036854775807}',
    b'{"model": "auto", "messages": [{"role": "user", "content": "x"}], "max_tokens": 1e400}',
    b'{"model": "auto", "messages": [{"role": "user", "content": "x"}], "max_tokens": -9223372036854775808}',
    b'{"model": "auto", "messages": [{"role": "user", "content": ' + b"[" * 100000 + b"]" * 100000 + b"}]}",
    b'{"model": "auto", "messages": [{"role": "user", "content": "x"}], "tools": ' + b"[" * 100000 + b"]" * 100000 + b"}",
    b'{"model": "' + b"a/" * 50000 + b'", "messages": [{"role": "user", "content": "x"}]}',
    b'{"model": "auto", "messages": [{"role": "user", "content": [{"type": "image_url"}]}], "response_format": {"type": "json_schema", "json_schema": null}}',
]


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
def test_hostile_bodies_get_a_4xx_and_never_take_the_daemon_down(daemon, body):
    import urllib.error
    import urllib.request
    request = urllib.request.Request(
        daemon.url + "/chat/completions", data=body, method="POST",
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
        assert json.loads(error.read())["error"]["message"]
    assert status in (200, 400, 404, 422)
    assert daemon.proc.poll() is None, daemon.log_text()[-3000:]


def test_an_oversized_body_is_a_413(daemon):
    import urllib.error
    import urllib.request
    body = b'{"model": "auto", "messages": [{"role": "user", "content": "' + b"x" * (5 << 20) + b'"}]}'
    request = urllib.request.Request(
        daemon.url + "/chat/completions", data=body, method="POST", headers={"Authorization": f"Bearer {KEY}"})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 413
    assert json.loads(raised.value.read())["error"]["code"] == "request_too_large"


def raw_exchange(daemon, data, timeout=5):
    """Sends raw bytes on a new connection; returns what comes back until the daemon closes or goes quiet."""
    import socket
    host, port = daemon.address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(data)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received and b'"error"' in received:
                    break
        except TimeoutError:
            pass
        return received.decode(errors="replace")


def test_a_key_given_twice_is_a_400_so_no_provider_reads_a_value_the_daemon_did_not_check(daemon):
    import urllib.error
    import urllib.request
    body = b'{"model":"auto","messages":[{"role":"user","content":"hi"}],"max_tokens":1,"max_tokens":100000000}'
    request = urllib.request.Request(
        daemon.url + "/chat/completions", data=body, method="POST",
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 400
    assert 'duplicate key \\"max_tokens\\"' in raised.value.read().decode()


def test_unknown_routes_and_wrong_methods_answer_in_openai_error_shape(daemon):
    import urllib.error
    import urllib.request

    def call(method, path):
        request = urllib.request.Request(daemon.url.removesuffix("/v1") + path, method=method,
                                         headers={"Authorization": f"Bearer {KEY}"})
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=10)
        return raised.value.code, raised.value.headers, json.loads(raised.value.read())["error"]

    status, _, error = call("GET", "/v1/nothing")
    assert status == 404 and error["code"] == "unknown_url" and "GET /v1/nothing" in error["message"]
    status, headers, error = call("POST", "/v1/models")
    assert status == 405 and headers["Allow"] == "GET" and error["code"] == "method_not_allowed"
    status, headers, _ = call("GET", "/v1/chat/completions")
    assert status == 405 and headers["Allow"] == "POST"
    # Model ids may contain slashes: the rest of the path is the id.
    status, _, error = call("GET", "/v1/models/some-org/no-such-model")
    assert status == 404 and error["code"] == "model_not_found" and "some-org/no-such-model" in error["message"]
    status, answer = control_get(daemon, "/v1/nothing")
    assert status == 404 and answer["error"]["code"] == "not_found"
    status, answer = control_get(daemon, "/v1/reload")  # a POST route
    assert status == 405 and answer["error"]["code"] == "method_not_allowed"


def test_a_malformed_chunked_body_is_a_400_not_a_413(daemon):
    answer = raw_exchange(daemon, (
        f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
        "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n").encode())
    assert answer.startswith("HTTP/1.1 400"), answer
    assert "could not be read" in answer


def test_stream_events_are_forwarded_as_they_arrive_not_buffered(client, mock):
    import time
    mock.set("alpha-m-open", {"tokens_per_second": 10, "response_tokens": 8})
    start = time.monotonic()
    arrivals = []
    for chunk in client.chat.completions.create(model="auto", messages=MESSAGES, stream=True):
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append(time.monotonic() - start)
    assert len(arrivals) == 8
    # The mock writes one token every 100 ms: the client sees them spread out, not in one burst.
    assert arrivals[-1] - arrivals[0] > 0.5
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert sum(1 for gap in gaps if gap > 0.05) >= 5, arrivals


def test_a_client_leaving_before_the_answer_cancels_the_upstream_call_and_is_logged(daemon, mock):
    import socket
    import time
    mock.set("alpha-m-open", {"hang": True})
    time.sleep(0.2)  # earlier tests' decisions are committed within 50 ms
    before = {row["id"] for row in daemon.decisions()}
    host, port = daemon.address.rsplit(":", 1)
    body = json.dumps({"model": "auto", "messages": MESSAGES}).encode()
    head = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: {daemon.address}\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(head + body)
        deadline = time.time() + 3
        while time.time() < deadline and mock.stats()["in_flight"] == 0:
            time.sleep(0.02)
        assert mock.stats()["in_flight"] == 1
    # The client has gone; the mock never answers, and notices only the upstream connection closing.
    left = time.time()
    while time.time() - left < 3 and mock.stats()["in_flight"] > 0:
        time.sleep(0.05)
    assert mock.stats()["in_flight"] == 0, "the upstream call ran on for a client that had left"
    deadline = time.time() + 3
    rows = []
    while time.time() < deadline and not rows:
        rows = [row for row in daemon.decisions()
                if row["id"] not in before and json.loads(row["attempts"])[-1].endswith(":cancelled")]
        time.sleep(0.05)
    assert len(rows) == 1
    assert rows[0]["status"] == "client_cancelled"
    assert control_get(daemon, "/v1/providers/alpha")[1]["in_flight"] == 0


def test_a_client_leaving_mid_stream_cancels_the_upstream_call_and_is_logged(client, daemon, mock):
    import time
    mock.set("alpha-m-open", {"tokens_per_second": 5, "response_tokens": 50})
    raw = client.chat.completions.with_raw_response.create(model="auto", messages=MESSAGES, stream=True)
    stream = raw.parse()
    for index, _ in enumerate(stream):
        if index == 2:
            break
    stream.close()
    deadline = time.time() + 5
    while time.time() < deadline and mock.stats()["in_flight"] > 0:
        time.sleep(0.05)
    assert mock.stats()["in_flight"] == 0  # the upstream transfer was dropped, not read to the end
    row = daemon.decision(raw.headers["x-tokenbroker-decision"])
    assert row["status"] == "client_cancelled"
    assert control_get(daemon, "/v1/providers/alpha")[1]["in_flight"] == 0


@pytest.mark.parametrize("failing", [[], ["alpha-m-open"], ["alpha-m-open", "beta-m-open"]],
                         ids=["openai", "anthropic", "gemini"])
def test_a_stream_has_no_usage_chunk_unless_the_client_asks(client, mock, failing):
    # Code written for OpenAI indexes choices[0] on every chunk: only include_usage adds the
    # usage-only chunk with "choices": [], whichever format the provider speaks.
    for model in failing:
        mock.set(model, {"error": "server_error"})
    text = "".join(chunk.choices[0].delta.content or ""
                   for chunk in client.chat.completions.create(model="auto", messages=MESSAGES, stream=True))
    assert len(text.split()) == 16
    chunks = list(client.chat.completions.create(
        model="auto", messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 16


def test_models_retrieve_finds_a_model_or_raises_not_found(client):
    assert client.models.retrieve("m-open").owned_by == "m"
    assert client.models.retrieve("auto").owned_by == "tokenbroker"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-99")
