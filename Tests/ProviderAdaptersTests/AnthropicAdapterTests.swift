import ExactJSON
import BrokerCore
import Foundation
import Testing

@testable import ProviderAdapters

@Suite struct AnthropicAdapterTests {
    let adapter = AnthropicAdapter()
    let endpoint = UpstreamEndpoint(baseURL: "https://api.anthropic.com/v1/", apiKey: "sk-ant-api03-secret")

    private func body(_ openAI: String, stream: Bool = false) throws -> JSON {
        try JSONParser.parse(try adapter.encode(openAIBody: Data(openAI.utf8), upstreamModel: "claude-haiku-4-5",
                                                stream: stream, endpoint: endpoint).body)
    }

    @Test func urlAndHeaders() throws {
        let request = try adapter.encode(openAIBody: try Fixture.data("requests/chat.json"), upstreamModel: "claude-haiku-4-5",
                                         stream: false, endpoint: endpoint)
        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(request.header("x-api-key") == "sk-ant-api03-secret")
        #expect(request.header("anthropic-version") == "2023-06-01")
        #expect(request.header("Authorization") == nil)
        #expect(!String(decoding: request.body, as: UTF8.self).contains("secret"))
    }

    @Test(arguments: [
        (#""required""#, #"{"type":"any"}"#), (#""none""#, #"{"type":"none"}"#),
        (#"{"type":"function","function":{"name":"f"}}"#, #"{"type":"tool","name":"f"}"#),
    ])
    func toolChoice(choice: String, expected: String) throws {
        let request = #"{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"#
            + choice + "}"
        #expect(try body(request)["tool_choice"] == JSONParser.parse(Array(expected.utf8)))
        // A tool without parameters still needs an input schema.
        #expect(try body(request)["tools"] == [["name": "f", "input_schema": ["type": "object", "properties": [:]]]])
    }

    @Test func parallelToolCallsOff() throws {
        let request = #"{"messages":[{"role":"user","content":"x"}],"parallel_tool_calls":false}"#
        #expect(try body(request)["tool_choice"] == ["type": "auto", "disable_parallel_tool_use": true])
    }

    @Test func severalSystemMessagesBecomeBlocks() throws {
        let request = #"{"messages":[{"role":"system","content":"A"},{"role":"developer","content":[{"type":"text","text":"B"}]},{"role":"user","content":"x"}]}"#
        #expect(try body(request)["system"] == [["type": "text", "text": "A"], ["type": "text", "text": "B"]])
    }

    @Test func aRunOfUserMessagesBecomesOneTurnInOrder() throws {
        let request = #"{"messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"b"}]},{"role":"user","content":"c"},{"role":"assistant","content":"d"},{"role":"user","content":"e"}]}"#
        let messages = try #require(try body(request)["messages"]?.arrayValue)
        #expect(messages == [
            ["role": "user", "content": [["type": "text", "text": "a"], ["type": "text", "text": "b"], ["type": "text", "text": "c"]]],
            ["role": "assistant", "content": [["type": "text", "text": "d"]]], ["role": "user", "content": "e"],
        ])
    }

    @Test func userTextAfterToolResultJoinsItsTurn() throws {
        let request = #"{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":""}}]},{"role":"tool","tool_call_id":"t1","content":"ok"},{"role":"user","content":"and now?"}]}"#
        let messages = try #require(try body(request)["messages"]?.arrayValue)
        #expect(messages.count == 3)
        #expect(messages[1]["content"] == [["type": "tool_use", "id": "t1", "name": "f", "input": [:]]])
        #expect(messages[2] == ["role": "user", "content": [
            ["type": "tool_result", "tool_use_id": "t1", "content": "ok"], ["type": "text", "text": "and now?"],
        ]])
    }

    @Test(arguments: [#""n":2"#, #""response_format":{"type":"json_object"}"#])
    func unsupportedOptionsAreBadRequests(option: String) {
        let request = #"{"messages":[{"role":"user","content":"x"}],"# + option + "}"
        let error = #expect(throws: UpstreamError.self) { try body(request) }
        #expect(error?.kind == .badRequest)
    }

    @Test func createdComesFromTheDateHeader() throws {
        let response = try adapter.decodeResponse(
            status: 200, headers: [("date", "Sun, 06 Nov 1994 08:49:37 GMT")],
            body: try Fixture.data("anthropic/responses/chat.json"))
        #expect(try JSONParser.parse(response.body)["created"] == .int(784_111_777))
    }

    /// Newer API versions repeat the input counts in message_delta; the later report wins.
    @Test func messageDeltaUsageUpdatesInputCounts() throws {
        let stream = [
            #"{"type":"message_start","message":{"id":"m","usage":{"input_tokens":10,"output_tokens":1}}}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":10,"cache_read_input_tokens":90,"output_tokens":7}}"#,
            #"{"type":"message_stop"}"#,
        ].map { "data: \($0)\n\n" }.joined()
        var decoder = adapter.makeStreamDecoder(model: "m", created: 5)
        let frames = try parseFrames(try decoder.run(Array(stream.utf8), .whole))
        #expect(decoder.usage == Usage(promptTokens: 100, completionTokens: 7, cachedPromptTokens: 90))
        #expect(frames.first?["created"] == .int(5))
        #expect(frames.count == 4)  // role, finish, usage, [DONE]
    }

    @Test func unknownEventsAndBlocksAreSkipped() throws {
        let stream = [
            #"{"type":"message_start","message":{"id":"m","usage":{"input_tokens":1}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}"#,
            #"{"type":"brand_new_event","payload":{}}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"refusal"},"usage":{"output_tokens":3}}"#,
            #"{"type":"message_stop"}"#,
        ].map { "data: \($0)\n\n" }.joined()
        var decoder = adapter.makeStreamDecoder(model: "m")
        let frames = try parseFrames(try decoder.run(Array(stream.utf8), .whole))
        #expect(frames.map { $0["choices"]?.arrayValue?.first?["finish_reason"] ?? nil }
            == [.null, "content_filter", nil, nil])
    }
}
