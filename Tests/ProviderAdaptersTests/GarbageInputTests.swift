import ExactJSON
import BrokerCore
import Foundation
import Testing

@testable import ProviderAdapters

/// Nothing upstream sends may crash the process: random bytes, truncated JSON and wrong
/// types all come back as `malformedResponse`.
@Suite struct GarbageInputTests {
    static let responseFixtures: [(WireFormat, String)] = [
        (.openai, "chat"), (.anthropic, "tool-use"), (.gemini, "function-call"),
    ]

    @Test(arguments: WireFormat.allCases)
    func randomBodies(format: WireFormat) {
        let adapter = ProviderAdapters.adapter(for: format)
        var generator = SplitMix(state: 99)
        for _ in 0..<300 {
            let body = Data((0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(throws: UpstreamError.self) { try adapter.decodeResponse(status: 200, headers: [], body: body) }
            _ = adapter.mapError(status: 500, headers: [], body: body)
            var decoder = adapter.makeStreamDecoder(model: "m")
            _ = try? decoder.feed(body)
            #expect(throws: UpstreamError.self) { try decoder.finish() }
        }
    }

    @Test(arguments: responseFixtures)
    func truncatedResponses(format: WireFormat, name: String) throws {
        let adapter = ProviderAdapters.adapter(for: format)
        let body = try Fixture.data("\(format.rawValue)/responses/\(name).json")
        for length in 0..<body.count - 2 {
            let error = #expect(throws: UpstreamError.self, "length \(length)") {
                try adapter.decodeResponse(status: 200, headers: [], body: body.prefix(length))
            }
            #expect(error?.kind == .malformedResponse, "length \(length)")
        }
    }

    @Test(arguments: [
        (WireFormat.openai, #"{"choices": "none"}"#), (.openai, #"{"choices": [], "usage": {"prompt_tokens": "9"}}"#),
        (.openai, "[]"), (.openai, "null"),
        (.anthropic, #"{"id": 1, "type": "message", "content": [], "usage": {}}"#),
        (.anthropic, #"{"id": "m", "type": "message", "content": [{"type": "text"}], "usage": {}}"#),
        (.anthropic, #"{"id": "m", "type": "message", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": "{}"}], "usage": {}}"#),
        (.anthropic, #"{"id": "m", "type": "message", "content": {}, "usage": {}}"#),
        (.anthropic, #"{"id": "m", "type": "message", "content": []}"#),
        (.anthropic, #"{"id": "m", "type": "message", "content": [], "usage": {"input_tokens": 1.5}}"#),
        (.gemini, #"{"candidates": {}}"#), (.gemini, #"{"candidates": []}"#),
        (.gemini, #"{"candidates": [{"content": {"parts": [{"text": 5}]}}]}"#),
        (.gemini, #"{"candidates": [{"content": {"parts": [{"functionCall": {"name": "f", "args": [1]}}]}}]}"#),
        (.gemini, #"{"candidates": [{"index": 0}], "usageMetadata": {"promptTokenCount": "many"}}"#),
        // Token counts are added up (prompt and cache, output and thoughts, the total): counts
        // past any real request, or negative, would overflow Int and trap; they are malformed.
        (.openai, #"{"choices": [], "usage": {"prompt_tokens": 9223372036854775807, "completion_tokens": 9223372036854775807}}"#),
        (.openai, #"{"choices": [], "usage": {"prompt_tokens": -5, "completion_tokens": 1}}"#),
        (.openai, #"{"choices": [], "usage": {"prompt_tokens": 5, "prompt_tokens_details": {"cached_tokens": -9223372036854775807}}}"#),
        (.anthropic, #"{"id": "m", "type": "message", "content": [], "usage": {"input_tokens": 9223372036854775807, "cache_read_input_tokens": 9223372036854775807}}"#),
        (.gemini, #"{"candidates": [{"index": 0}], "usageMetadata": {"candidatesTokenCount": 9223372036854775807, "thoughtsTokenCount": 9223372036854775807}}"#),
    ])
    func wrongTypes(format: WireFormat, body: String) {
        let error = #expect(throws: UpstreamError.self) {
            try ProviderAdapters.adapter(for: format).decodeResponse(status: 200, headers: [], body: Data(body.utf8))
        }
        #expect(error?.kind == .malformedResponse)
    }

    static let startEvent = #"data: {"type": "message_start", "message": {"id": "m"}}"# + "\n\n"
    static let strayDelta: String =
        #"data: {"type": "content_block_delta", "index": 4, "delta": {"type": "text_delta", "text": "x"}}"# + "\n\n"
    static let badStreams: [(WireFormat, String)] = [
        (.openai, "data: {not json}\n\n"), (.openai, #"data: {"choices": 3}"# + "\n\n"),
        (.anthropic, #"data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}}"# + "\n\n"),
        (.anthropic, #"data: {"no": "type"}"# + "\n\n"),
        (.anthropic, startEvent + strayDelta),
        (.anthropic, startEvent + startEvent),
        (.gemini, #"data: {"candidates": [{"content": {"parts": "text"}}]}"# + "\n\n"), (.gemini, "data: [1, 2]\n\n"),
        (.gemini, #"data: {"candidates": [{"content": {"parts": [{"text": "x"}]}}], "usageMetadata": {"candidatesTokenCount": 9223372036854775807, "thoughtsTokenCount": 1}}"# + "\n\n"),
        (.openai, #"data: {"choices": [], "usage": {"prompt_tokens": 9223372036854775807, "completion_tokens": 9223372036854775807}}"# + "\n\n"),
    ]

    @Test(arguments: badStreams)
    func malformedStreamEvents(format: WireFormat, body: String) {
        var decoder = ProviderAdapters.adapter(for: format).makeStreamDecoder(model: "m")
        let error = #expect(throws: UpstreamError.self) { try decoder.feed(Array(body.utf8)) }
        #expect(error?.kind == .malformedResponse)
    }

    /// A stream with no events at all is as cut as one that stopped halfway.
    @Test(arguments: WireFormat.allCases)
    func emptyStream(format: WireFormat) {
        var decoder = ProviderAdapters.adapter(for: format).makeStreamDecoder(model: "m")
        let error = #expect(throws: UpstreamError.self) { try decoder.run([], .whole) }
        #expect(error?.kind == .malformedResponse)
    }

    @Test(arguments: WireFormat.allCases)
    func hostileNesting(format: WireFormat) {
        let body = Data(repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(throws: UpstreamError.self) {
            try ProviderAdapters.adapter(for: format).decodeResponse(status: 200, headers: [], body: body)
        }
    }

    /// Client bodies the translations cannot express are bad requests naming the problem.
    @Test(arguments: [
        "", "[]", #"{"messages": []}"#, #"{"messages": "hi"}"#, #"{"messages": [{"role": "wizard", "content": "x"}]}"#,
        #"{"messages": [{"role": "user", "content": 5}]}"#,
        #"{"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}]}"#,
        #"{"messages": [{"role": "tool", "content": "42"}]}"#,
        #"{"messages": [{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "not json"}}]}]}"#,
        #"{"messages": [{"role": "user", "content": "x"}], "max_tokens": "many"}"#,
        #"{"messages": [{"role": "user", "content": "x"}], "stop": 5}"#,
        #"{"messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function"}]}"#,
        #"{"messages": [{"role": "user", "content": "x"}], "tool_choice": "sometimes"}"#,
        #"{"messages": [{"role": "system", "content": "only a system prompt"}]}"#,
    ])
    func untranslatableRequests(body: String) {
        for format in [WireFormat.anthropic, .gemini] {
            let error = #expect(throws: UpstreamError.self, "\(format)") {
                try ProviderAdapters.adapter(for: format).encode(
                    openAIBody: Data(body.utf8), upstreamModel: "m", stream: false,
                    endpoint: UpstreamEndpoint(baseURL: "https://example.invalid"))
            }
            #expect(error?.kind == .badRequest, "\(format)")
        }
    }
}
