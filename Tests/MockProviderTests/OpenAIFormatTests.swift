import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProvider
import Testing

@Suite("OpenAI chat completions")
struct OpenAIFormatTests {
    let path = "/v1/chat/completions"

    @Test func completionHasTheChatCompletionShapeAndUsage() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 5}"#)) { client, _ in
            let body = openAIBody()
            let response = try await client.post(path, body)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let json = try response.json()
            #expect(json["object"] == "chat.completion")
            #expect(json["model"] == "gpt-4o")
            #expect(json["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
            #expect(json["created"]?.intValue != nil)
            let choice = try #require(json["choices"]?[0])
            #expect(choice["index"] == 0)
            #expect(choice["finish_reason"] == "stop")
            #expect(choice["logprobs"] == .null)
            #expect(choice["message"]?["role"] == "assistant")
            #expect(choice["message"]?["content"] == "The mock provider answers with")
            let usage = try #require(json["usage"])
            #expect(usage["completion_tokens"] == 5)
            #expect(usage["prompt_tokens"] == .int(ChatRequest.estimatePromptTokens(bodyBytes: body.utf8.count)))
            #expect(usage["total_tokens"] == .int(5 + ChatRequest.estimatePromptTokens(bodyBytes: body.utf8.count)))
        }
    }

    @Test func maxTokensBelowTheResponseLengthStopsWithLength() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 50}"#)) { client, _ in
            let json = try await client.post(path, openAIBody(extra: #","max_completion_tokens":3"#)).json()
            #expect(json["choices"]?[0]?["finish_reason"] == "length")
            #expect(json["usage"]?["completion_tokens"] == 3)
        }
    }

    @Test func streamSendsChunksThenUsageThenDone() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 4}"#)) { client, _ in
            let response = try await client.post(path, openAIBody(stream: true, extra: #","stream_options":{"include_usage":true}"#))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = response.events
            #expect(events.last?.data == "[DONE]")
            let chunks = try events.dropLast().map { try $0.json() }
            // role chunk, 4 content chunks, finish chunk, usage chunk
            #expect(chunks.count == 7)
            for chunk in chunks {
                #expect(chunk["object"] == "chat.completion.chunk")
                #expect(chunk["id"] == chunks[0]["id"])
            }
            #expect(chunks[0]["choices"]?[0]?["delta"]?["role"] == "assistant")
            let text = chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
            #expect(text == "The mock provider answers")
            #expect(chunks[5]["choices"]?[0]?["finish_reason"] == "stop")
            #expect(chunks[5]["usage"] == .null)
            let usage = chunks[6]
            #expect(usage["choices"] == [])
            #expect(usage["usage"]?["completion_tokens"] == 4)
            #expect(usage["usage"]?["prompt_tokens"]?.intValue ?? 0 > 0)
        }
    }

    @Test func streamWithoutIncludeUsageHasNoUsageField() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 2, "tokens_per_event": 2}"#)) { client, _ in
            let events = try await client.post(path, openAIBody(stream: true)).events
            let chunks = try events.dropLast().map { try $0.json() }
            #expect(chunks.count == 3)  // role, one chunk of two tokens, finish
            #expect(chunks[1]["choices"]?[0]?["delta"]?["content"] == "The mock")
            #expect(chunks.allSatisfy { $0["usage"] == nil })
        }
    }

    @Test func toolCallWhenTheUserAsksForIt() async throws {
        let tools = #","tools":[{"type":"function","function":{"name":"get_weather","parameters":\#(weatherSchema)}}]"#
        try await withMock { client, _ in
            let json = try await client.post(path, openAIBody(text: "please call tool get_weather", extra: tools)).json()
            let choice = try #require(json["choices"]?[0])
            #expect(choice["finish_reason"] == "tool_calls")
            #expect(choice["message"]?["content"] == .null)
            let call = try #require(choice["message"]?["tool_calls"]?[0])
            #expect(call["type"] == "function")
            #expect(call["id"]?.stringValue?.hasPrefix("call_") == true)
            #expect(call["function"]?["name"] == "get_weather")
            let arguments = try parseJSON(try #require(call["function"]?["arguments"]?.stringValue))
            #expect(arguments["city"] == "mock")
            #expect(arguments["unit"] == "celsius")
            #expect(arguments["days"] == 1)

            // Without the words, a request with tools gets text.
            let plain = try await client.post(path, openAIBody(extra: tools)).json()
            #expect(plain["choices"]?[0]?["finish_reason"] == "stop")
        }
    }

    @Test func streamedToolCallArgumentsConcatenateToTheCall() async throws {
        let tools = #","tools":[{"type":"function","function":{"name":"get_weather","parameters":\#(weatherSchema)}}]"#
        try await withMock(configuration(default: #"{"tool_call": true}"#)) { client, _ in
            let events = try await client.post(path, openAIBody(stream: true, extra: tools)).events
            let chunks = try events.dropLast().map { try $0.json() }
            let first = try #require(chunks.first?["choices"]?[0]?["delta"]?["tool_calls"]?[0])
            #expect(first["function"]?["name"] == "get_weather")
            let arguments = chunks.compactMap { $0["choices"]?[0]?["delta"]?["tool_calls"]?[0]?["function"]?["arguments"]?.stringValue }.joined()
            #expect(try parseJSON(arguments)["city"] == "mock")
            #expect(chunks.last?["choices"]?[0]?["finish_reason"] == "tool_calls")
        }
    }

    @Test func toolChoiceNoneNeverCalls() async throws {
        let tools = #","tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none""#
        try await withMock(configuration(default: #"{"tool_call": true}"#)) { client, _ in
            let json = try await client.post(path, openAIBody(text: "call tool", extra: tools)).json()
            #expect(json["choices"]?[0]?["finish_reason"] == "stop")
        }
    }

    @Test(arguments: [
        ("server_error", 500, "server_error"), ("overloaded", 503, "server_error"), ("rate_limited", 429, "requests"),
    ])
    func configuredErrorsHaveOpenAIsShape(error: String, status: Int, type: String) async throws {
        try await withMock(configuration(default: #"{"error": "\#(error)", "retry_after_seconds": 9}"#)) { client, _ in
            let response = try await client.post(path, openAIBody())
            #expect(response.status.code == status)
            let json = try response.json()
            #expect(json["error"]?["type"] == .string(type))
            #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
            #expect(json["error"]?["code"] != nil)
            #expect(response.headers[.retryAfter] == (status == 429 ? "9" : nil))
        }
    }

    @Test func malformedJSONErrorSendsA200ThatDoesNotParse() async throws {
        try await withMock(configuration(default: #"{"error": "malformed_json"}"#)) { client, _ in
            let response = try await client.post(path, openAIBody())
            #expect(response.status == .ok)
            #expect(response.text.hasPrefix(#"{"id":"chatcmpl-"#))
            #expect(throws: (any Error).self) { try response.json() }

            let stream = try await client.post(path, openAIBody(stream: true))
            #expect(stream.events.count == 1)
            #expect(throws: (any Error).self) { try stream.events[0].json() }
        }
    }

    @Test(arguments: ["{", "[]", #"{"model":"gpt-4o"}"#, #"{"messages":[]}"#, #"{"model":1,"messages":[]}"#, "\u{0}\u{1}garbage"])
    func malformedBodiesGet400InOpenAIsShape(body: String) async throws {
        try await withMock { client, state in
            let response = try await client.post(path, body)
            #expect(response.status == .badRequest)
            #expect(try response.json()["error"]?["type"] == "invalid_request_error")
            #expect(state.stats.models["(unknown)"]?.rejected == 1)
        }
    }

    @Test func hostileBodiesGetAnswersNotCrashes() async throws {
        try await withMock { client, _ in
            let nesting = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
            let deep = #"{"model":"x","messages":[{"role":"user","content":"# + nesting + "}]}"
            #expect(try await client.post(path, deep).status == .badRequest)
            let negative = try await client.post(path, openAIBody(extra: #","max_tokens":-5"#)).json()
            #expect(negative["usage"]?["completion_tokens"] == 0)
            #expect(negative["choices"]?[0]?["message"]?["content"] == "")
            let huge = try await client.post(path, openAIBody(extra: #","max_tokens":1e400"#))
            #expect(huge.status == .badRequest)
        }
    }

    @Test func requiredKeyIsCheckedAsABearerToken() async throws {
        try await withMock(configuration(apiKey: "sk-mock")) { client, _ in
            let missing = try await client.post(path, openAIBody())
            #expect(missing.status == .unauthorized)
            #expect(try missing.json()["error"]?["code"] == "invalid_api_key")
            let wrong = try await client.post(path, openAIBody(), headers: [.authorization: "Bearer sk-other"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.post(path, openAIBody(), headers: [.authorization: "Bearer sk-mock"])
            #expect(right.status == .ok)
        }
    }

    @Test func anyKeyIsAcceptedWhenNoneIsRequired() async throws {
        try await withMock { client, _ in
            let response = try await client.post(path, openAIBody(), headers: [.authorization: "Bearer anything"])
            #expect(response.status == .ok)
        }
    }
}
