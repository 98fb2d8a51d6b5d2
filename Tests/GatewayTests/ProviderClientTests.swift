import BrokerCore
import BrokerFixtures
import CurlTransport
import ExactJSON
import Foundation
import Gateway
import ProviderAdapters
import Testing

/// The adapters through the real transport against the real mock provider, over real sockets.
@Suite struct ProviderClientTests {
    static let formats: [WireFormat] = [.openai, .anthropic, .gemini]

    let transport: CurlTransport
    let client: ProviderClient
    let mock: MockProviderProcess

    init() throws {
        transport = try CurlTransport()
        client = ProviderClient(transport: transport)
        mock = try SharedMock.get()
    }

    func call(_ format: WireFormat, model: String, timeout: Duration? = .seconds(20), apiKey: String? = "sk-test") -> ProviderClient.Call {
        let base = format == .gemini ? "\(mock.baseURL)/v1beta" : "\(mock.baseURL)/v1"
        return ProviderClient.Call(
            adapter: ProviderAdapters.adapter(for: format), endpoint: UpstreamEndpoint(baseURL: base, apiKey: apiKey),
            upstreamModel: model, timeout: timeout)
    }

    func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: formats)
    func nonStreamingAnswersComeBackInOpenAIShape(format: WireFormat) async throws {
        let model = "plain-\(format.rawValue)"
        try await mock.configure(model, ["response_tokens": 7], transport: transport)
        let answer = try await client.complete(call(format, model: model), openAIBody: chatBody(model: "auto"))
        let object = try json(answer.body)
        #expect(object["object"] as? String == "chat.completion")
        let choice = try #require((object["choices"] as? [[String: Any]])?.first)
        let message = try #require(choice["message"] as? [String: Any])
        #expect((message["content"] as? String)?.split(separator: " ").count == 7)
        #expect(choice["finish_reason"] as? String == "stop")
        #expect(answer.usage?.completionTokens == 7)
        #expect((answer.usage?.promptTokens ?? 0) > 0)
    }

    @Test(arguments: formats)
    func streamsArriveAsOpenAIChunksWithUsage(format: WireFormat) async throws {
        let model = "stream-\(format.rawValue)"
        try await mock.configure(model, ["response_tokens": 12, "tokens_per_event": 3], transport: transport)
        let stream = try await client.stream(call(format, model: model), openAIBody: chatBody(stream: true), created: 1_700_000_000)
        var frames: [String] = []
        for try await frame in stream { frames.append(String(decoding: frame, as: UTF8.self)) }
        #expect(frames.last == "data: [DONE]\n\n")
        var text = ""
        for frame in frames.dropLast() {
            let payload = try json(Data(frame.dropFirst("data: ".count).utf8))
            #expect(payload["object"] as? String == "chat.completion.chunk")
            let delta = (payload["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
            text += delta?["content"] as? String ?? ""
        }
        #expect(text.split(separator: " ").count == 12)
        #expect(stream.usage.current?.completionTokens == 12)
    }

    @Test(arguments: [WireFormat.anthropic, .gemini, .openai])
    func toolCallsRoundTripThroughTranslation(format: WireFormat) async throws {
        let model = "tools-\(format.rawValue)"
        try await mock.configure(model, ["tool_call": true], transport: transport)
        let first = try await client.complete(
            call(format, model: model), openAIBody: chatBody("What is the weather in Paris? call tool", tools: true))
        let choice = try #require((try json(first.body)["choices"] as? [[String: Any]])?.first)
        #expect(choice["finish_reason"] as? String == "tool_calls")
        let message = try #require(choice["message"] as? [String: Any])
        let toolCall = try #require((message["tool_calls"] as? [[String: Any]])?.first)
        let function = try #require(toolCall["function"] as? [String: Any])
        #expect(function["name"] as? String == "get_weather")
        let arguments = try json(Data(try #require(function["arguments"] as? String).utf8))
        #expect(arguments["city"] is String)

        // The tool's result goes back in OpenAI's shape and is translated for the provider.
        try await mock.configure(model, ["tool_call": false, "response_tokens": 4], transport: transport)
        let followUp = chatBody(
            "What is the weather in Paris?", tools: true,
            extraMessages: [
                ["role": "assistant", "content": NSNull(), "tool_calls": [toolCall]],
                ["role": "tool", "tool_call_id": toolCall["id"] as? String ?? "", "content": "{\"celsius\": 21}"],
            ])
        let second = try await client.complete(call(format, model: model), openAIBody: followUp)
        let secondChoice = try #require((try json(second.body)["choices"] as? [[String: Any]])?.first)
        #expect(secondChoice["finish_reason"] as? String == "stop")
    }

    @Test(arguments: formats)
    func everyUpstreamFailureIsNormalised(format: WireFormat) async throws {
        let cases: [(behaviour: [String: Any], kind: UpstreamError.Kind)] = [
            (["error": "server_error"], .serverError),
            (["error": "overloaded"], .overloaded),
            (["error": "rate_limited", "retry_after_seconds": 7], .rateLimited),
            (["error": "malformed_json"], .malformedResponse),
        ]
        for (index, item) in cases.enumerated() {
            let model = "fail-\(format.rawValue)-\(index)"
            try await mock.configure(model, item.behaviour, transport: transport)
            let error = await #expect(throws: UpstreamError.self) {
                _ = try await client.complete(call(format, model: model), openAIBody: chatBody())
            }
            #expect(error?.kind == item.kind, "\(item.behaviour)")
            #expect(error?.isRetryable == true)
            if item.kind == .rateLimited { #expect(error?.retryAfterSeconds == 7) }
        }
    }

    @Test(arguments: formats)
    func clientErrorsAreNotRetryable(format: WireFormat) async throws {
        // A path the provider does not have.
        var missing = call(format, model: "x")
        missing.endpoint.baseURL = mock.baseURL + "/nowhere"
        let notFound = await #expect(throws: UpstreamError.self) {
            _ = try await client.complete(missing, openAIBody: chatBody())
        }
        #expect(notFound?.kind == .notFound)
        #expect(notFound?.isRetryable == false)
        // A body the adapter cannot translate.
        let bad = await #expect(throws: UpstreamError.self) {
            _ = try await client.complete(call(format, model: "x"), openAIBody: Data("{\"messages\": 3}".utf8))
        }
        #expect(bad?.kind == .badRequest)
    }

    @Test func aWrongKeyIsAnAuthenticationError() async throws {
        let guarded = try MockProviderProcess(arguments: ["--config", try Self.configFile(#"{"require_api_key": "sk-right"}"#)])
        for format in Self.formats {
            let base = format == .gemini ? "\(guarded.baseURL)/v1beta" : "\(guarded.baseURL)/v1"
            let wrong = ProviderClient.Call(
                adapter: ProviderAdapters.adapter(for: format), endpoint: UpstreamEndpoint(baseURL: base, apiKey: "sk-wrong"),
                upstreamModel: "m")
            let error = await #expect(throws: UpstreamError.self) { _ = try await client.complete(wrong, openAIBody: chatBody()) }
            #expect(error?.kind == .authentication, "\(format)")
            #expect(error?.message.contains("sk-wrong") == false)
            var right = wrong
            right.endpoint.apiKey = "sk-right"
            _ = try await client.complete(right, openAIBody: chatBody())
        }
    }

    @Test(arguments: formats)
    func aStreamCutInTheMiddleIsAMalformedResponse(format: WireFormat) async throws {
        let model = "cut-\(format.rawValue)"
        try await mock.configure(model, ["response_tokens": 20, "cut_after_events": 3], transport: transport)
        let stream = try await client.stream(call(format, model: model), openAIBody: chatBody(stream: true), created: 0)
        var frames = 0
        let error = await #expect(throws: UpstreamError.self) {
            for try await _ in stream { frames += 1 }
        }
        #expect(error?.kind == .malformedResponse)
        #expect(frames < 20)
    }

    @Test func aHangingProviderTimesOut() async throws {
        try await mock.configure("hang-timeout", ["hang": true], transport: transport)
        let started = ContinuousClock.now
        let error = await #expect(throws: UpstreamError.self) {
            _ = try await client.complete(call(.openai, model: "hang-timeout", timeout: .milliseconds(300)), openAIBody: chatBody())
        }
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aProviderThatIsNotThereIsAConnectionFailure() async throws {
        let nowhere = ProviderClient.Call(
            adapter: ProviderAdapters.adapter(for: .openai), endpoint: UpstreamEndpoint(baseURL: "http://127.0.0.1:1/v1", apiKey: nil),
            upstreamModel: "m")
        let error = await #expect(throws: UpstreamError.self) { _ = try await client.complete(nowhere, openAIBody: chatBody()) }
        #expect(error?.kind == .connectionFailure)
        #expect(error?.isRetryable == true)
    }

    @Test func leavingAStreamCancelsTheUpstreamTransferAtOnce() async throws {
        let model = "slow-cancel"
        try await mock.configure(model, ["response_tokens": 400, "tokens_per_second": 20], transport: transport)
        let stream = try await client.stream(call(.openai, model: model), openAIBody: chatBody(stream: true), created: 0)
        var frames = 0
        for try await _ in stream {
            frames += 1
            if frames == 2 { break }
        }
        // The mock sees the connection close: its request leaves "in flight" long before the
        // 20 seconds the answer would take.
        var inFlight = -1
        for _ in 0..<50 {
            inFlight = try await mock.stats(transport: transport)["in_flight"] as? Int ?? -1
            if inFlight == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(inFlight == 0)
    }

    @Test func requestsGoOverAUnixSocket() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mock-\(UUID().uuidString.prefix(8)).sock").path
        let unixMock = try ChildProcess(
            executable: BuiltProducts.executable("tokenbroker-mock"), arguments: ["--listen", "unix:\(path)", "--exit-with-parent"],
            readyMarker: "listening on")
        var viaSocket = ProviderClient.Call(
            adapter: ProviderAdapters.adapter(for: .openai), endpoint: UpstreamEndpoint(baseURL: "http://localhost/v1", apiKey: nil),
            upstreamModel: "m")
        viaSocket.unixSocketPath = path
        let answer = try await client.complete(viaSocket, openAIBody: chatBody())
        #expect(answer.usage?.completionTokens ?? 0 > 0)
        unixMock.stop()
    }

    static func configFile(_ json: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mock-\(UUID().uuidString).json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

extension ProviderClient {
    /// The tests' bodies are bytes; the gateway hands the client the JSON it already parsed.
    func complete(_ call: Call, openAIBody: Data) async throws -> ChatResponse {
        try await complete(call, openAIRequest: try JSONParser.parse(openAIBody))
    }

    func stream(_ call: Call, openAIBody: Data, created: Int) async throws -> UpstreamStream {
        try await stream(call, openAIRequest: try JSONParser.parse(openAIBody), created: created)
    }
}
