import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProvider
import Testing

@Suite("Anthropic messages")
struct AnthropicFormatTests {
    let path = "/v1/messages"

    @Test func messageHasTheMessageShapeAndUsage() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 3}"#)) { client, _ in
            let body = anthropicBody()
            let response = try await client.post(path, body)
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["type"] == "message")
            #expect(json["role"] == "assistant")
            #expect(json["model"] == "claude-sonnet-4")
            #expect(json["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(json["content"] == [["type": "text", "text": "The mock provider"]])
            #expect(json["stop_reason"] == "end_turn")
            #expect(json["stop_sequence"] == .null)
            #expect(json["usage"]?["input_tokens"] == .int(ChatRequest.estimatePromptTokens(bodyBytes: body.utf8.count)))
            #expect(json["usage"]?["output_tokens"] == 3)
        }
    }

    @Test func maxTokensBelowTheResponseLengthStopsWithMaxTokens() async throws {
        try await withMock { client, _ in
            let json = try await client.post(path, anthropicBody(maxTokens: 2)).json()
            #expect(json["stop_reason"] == "max_tokens")
            #expect(json["usage"]?["output_tokens"] == 2)
        }
    }

    @Test func streamHasEveryEventInOrder() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 3}"#)) { client, _ in
            let response = try await client.post(path, anthropicBody(stream: true))
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = response.events
            #expect(
                events.map(\.event) == [
                    "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop",
                ])
            let data = try events.map { try $0.json() }
            // Each event's data names its own type, as the SDKs check.
            #expect(zip(events, data).allSatisfy { $1["type"] == .string($0.event ?? "") })
            let start = try #require(data[0]["message"])
            #expect(start["content"] == [])
            #expect(start["stop_reason"] == .null)
            #expect(start["usage"]?["input_tokens"]?.intValue ?? 0 > 0)
            #expect(data[1]["content_block"] == ["type": "text", "text": ""])
            let text = data.compactMap { $0["delta"]?["text"]?.stringValue }.joined()
            #expect(text == "The mock provider")
            #expect(data[3]["delta"]?["type"] == "text_delta")
            #expect(data[7]["delta"]?["stop_reason"] == "end_turn")
            #expect(data[7]["usage"]?["output_tokens"] == 3)
        }
    }

    @Test func toolUseAnswerAndStream() async throws {
        let tools = #","tools":[{"name":"get_weather","description":"Weather","input_schema":\#(weatherSchema)}]"#
        try await withMock { client, _ in
            let json = try await client.post(path, anthropicBody(text: "Call tool get_weather for Paris", extra: tools)).json()
            #expect(json["stop_reason"] == "tool_use")
            let block = try #require(json["content"]?[0])
            #expect(block["type"] == "tool_use")
            #expect(block["name"] == "get_weather")
            #expect(block["id"]?.stringValue?.hasPrefix("toolu_") == true)
            #expect(block["input"]?["city"] == "mock")

            let events = try await client.post(path, anthropicBody(text: "call tool", stream: true, extra: tools)).events
            let data = try events.map { try $0.json() }
            #expect(data[1]["content_block"]?["type"] == "tool_use")
            #expect(data[1]["content_block"]?["input"] == [:])
            let deltas = data.filter { $0["type"] == "content_block_delta" }
            #expect(deltas.allSatisfy { $0["delta"]?["type"] == "input_json_delta" })
            let partial = deltas.compactMap { $0["delta"]?["partial_json"]?.stringValue }.joined()
            #expect(try parseJSON(partial) == block["input"])
            #expect(data.first { $0["type"] == "message_delta" }?["delta"]?["stop_reason"] == "tool_use")
        }
    }

    @Test func toolChoiceAnyForcesACall() async throws {
        let tools = #","tools":[{"name":"lookup","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"}"#
        try await withMock { client, _ in
            let json = try await client.post(path, anthropicBody(extra: tools)).json()
            #expect(json["content"]?[0]?["type"] == "tool_use")
            #expect(json["content"]?[0]?["input"] == [:])
        }
    }

    @Test(arguments: [
        ("server_error", 500, "api_error"), ("overloaded", 529, "overloaded_error"), ("529", 529, "overloaded_error"),
        ("rate_limited", 429, "rate_limit_error"),
    ])
    func configuredErrorsHaveAnthropicsShape(error: String, status: Int, type: String) async throws {
        try await withMock(configuration(default: #"{"error": "\#(error)", "retry_after_seconds": 2}"#)) { client, _ in
            let response = try await client.post(path, anthropicBody())
            #expect(response.status.code == status)
            let json = try response.json()
            #expect(json["type"] == "error")
            #expect(json["error"]?["type"] == .string(type))
            #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
            #expect(response.headers[.retryAfter] == (status == 429 ? "2" : nil))
        }
    }

    @Test(arguments: ["not json", #"{"model":"claude","messages":[{"role":"user","content":"hi"}]}"#, #"{"max_tokens":"many"}"#])
    func malformedBodiesGet400InAnthropicsShape(body: String) async throws {
        try await withMock { client, _ in
            let response = try await client.post(path, body)
            #expect(response.status == .badRequest)
            let json = try response.json()
            #expect(json["type"] == "error")
            #expect(json["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test func requiredKeyIsReadFromXAPIKey() async throws {
        try await withMock(configuration(apiKey: "sk-ant-mock")) { client, _ in
            let missing = try await client.post(path, anthropicBody())
            #expect(missing.status == .unauthorized)
            #expect(try missing.json()["error"]?["type"] == "authentication_error")
            let right = try await client.post(path, anthropicBody(), headers: [HTTPField.Name("x-api-key")!: "sk-ant-mock"])
            #expect(right.status == .ok)
        }
    }
}
