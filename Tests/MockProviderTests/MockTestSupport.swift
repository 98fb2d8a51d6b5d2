import Foundation
import Hummingbird
import HummingbirdTesting
import MockProvider
import NIOCore
import Testing

/// Runs the mock in-process with `configuration` and hands the test a client and the state.
func withMock<Value: Sendable>(
    _ configuration: MockConfiguration = MockConfiguration(),
    _ setup: TestingSetup = .router,
    _ test: @Sendable (any TestClientProtocol, MockState) async throws -> Value
) async throws -> Value {
    let state = MockState(configuration: configuration)
    let app = buildMockApplication(state: state, address: .hostname("127.0.0.1", port: 0))
    return try await app.test(setup) { client in try await test(client, state) }
}

/// A configuration whose `default` behaviour is `patch` (given as JSON, as PUT takes it).
func configuration(default patch: String = "{}", models: [String: String] = [:], seed: UInt64 = 0, apiKey: String? = nil) throws
    -> MockConfiguration
{
    var configuration = MockConfiguration()
    configuration.seed = seed
    configuration.requiredAPIKey = apiKey
    configuration.defaultPatch = try behaviourPatch(patch)
    for (model, json) in models {
        configuration.modelPatches[model] = try behaviourPatch(json)
    }
    return configuration
}

func behaviourPatch(_ json: String) throws -> BehaviourPatch {
    try JSONDecoder().decode(BehaviourPatch.self, from: Data(json.utf8))
}

extension TestClientProtocol {
    /// POSTs `json` to `uri` and returns the response.
    func post(_ uri: String, _ json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json)) { $0 }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body parsed as JSON (failing the test if it is not).
    func json() throws -> JSONValue {
        try parseJSON(text)
    }

    /// The body as server-sent events.
    var events: [ServerSentEvent] { ServerSentEvent.parse(text) }
}

func parseJSON(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

/// One server-sent event as a client reads it.
struct ServerSentEvent: Equatable {
    var event: String?
    var data: String

    func json() throws -> JSONValue { try parseJSON(data) }

    /// Splits a stream on blank lines (`\n\n` or `\r\n\r\n`) into events.
    static func parse(_ text: String) -> [ServerSentEvent] {
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { block in
            var event: String?
            var data: [String] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
            }
            return data.isEmpty ? nil : ServerSentEvent(event: event, data: data.joined(separator: "\n"))
        }
    }
}

extension JSONValue {
    var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    var count: Int {
        switch self {
        case .array(let values): values.count
        case .object(let pairs): pairs.count
        default: 0
        }
    }

    subscript(index: Int) -> JSONValue? {
        guard case .array(let values) = self, values.indices.contains(index) else { return nil }
        return values[index]
    }
}

/// A chat request body for the OpenAI format.
func openAIBody(model: String = "gpt-4o", text: String = "Hello", stream: Bool = false, extra: String = "") -> String {
    #"{"model":"\#(model)","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"\#(text)"}],"stream":\#(stream)\#(extra)}"#
}

/// A messages request body for the Anthropic format.
func anthropicBody(model: String = "claude-sonnet-4", text: String = "Hello", stream: Bool = false, maxTokens: Int = 1024, extra: String = "")
    -> String
{
    #"{"model":"\#(model)","max_tokens":\#(maxTokens),"messages":[{"role":"user","content":[{"type":"text","text":"\#(text)"}]}],"stream":\#(stream)\#(extra)}"#
}

/// A generateContent request body for the Gemini format.
func geminiBody(text: String = "Hello", extra: String = "") -> String {
    #"{"contents":[{"role":"user","parts":[{"text":"\#(text)"}]}]\#(extra)}"#
}

let weatherSchema = #"{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer"}},"required":["city"]}"#
