import Foundation
import HTTPTypes
import HummingbirdTesting
import MockProvider
import Testing

@Suite("Behaviour and configuration")
struct BehaviourTests {
    @Test func errorAloneFailsEveryRequestAndRateAloneFailsWithServerError() {
        var behaviour = ModelBehaviour()
        #expect(behaviour.failure(draw: 0) == nil)
        behaviour.error = .rateLimited
        #expect(behaviour.failure(draw: 0.999) == .rateLimited)
        behaviour.errorRate = 0.25
        #expect(behaviour.failure(draw: 0.2) == .rateLimited)
        #expect(behaviour.failure(draw: 0.3) == nil)
        behaviour.error = nil
        #expect(behaviour.failure(draw: 0.2) == .serverError)
    }

    @Test func seededGeneratorRepeatsAndDiffersByModel() {
        var a = SplitMix64(seed: 7, name: "gpt-4o")
        var b = SplitMix64(seed: 7, name: "gpt-4o")
        var other = SplitMix64(seed: 7, name: "claude")
        let first = (0..<20).map { _ in a.nextUnitInterval() }
        #expect(first == (0..<20).map { _ in b.nextUnitInterval() })
        #expect(first != (0..<20).map { _ in other.nextUnitInterval() })
        #expect(first.allSatisfy { (0..<1).contains($0) })
    }

    @Test func errorRateIsDeterministicForASeed() async throws {
        func pattern(seed: UInt64) async throws -> [Bool] {
            try await withMock(configuration(default: #"{"error_rate": 0.3}"#, seed: seed)) { client, _ in
                var failed: [Bool] = []
                for _ in 0..<60 {
                    failed.append(try await client.post("/v1/chat/completions", openAIBody()).status != .ok)
                }
                return failed
            }
        }
        let first = try await pattern(seed: 42)
        #expect(try await pattern(seed: 42) == first)
        #expect(try await pattern(seed: 43) != first)
        let failures = first.filter { $0 }.count
        #expect((8...28).contains(failures), "about 30% of 60, got \(failures)")
    }

    @Test func patchDecodesEveryFieldAndErrorSpellings() throws {
        let patch = try behaviourPatch(
            #"{"first_token_latency_ms":250,"tokens_per_second":40.5,"response_tokens":100,"tokens_per_event":3,"error_rate":0.1,"error":503,"retry_after_seconds":5,"cut_after_events":4,"hang":false,"tool_call":true}"#
        )
        let behaviour = patch.applied(to: ModelBehaviour())
        #expect(behaviour.firstTokenLatencyMilliseconds == 250)
        #expect(behaviour.tokensPerSecond == 40.5)
        #expect(behaviour.responseTokens == 100)
        #expect(behaviour.tokensPerEvent == 3)
        #expect(behaviour.errorRate == 0.1)
        #expect(behaviour.error == .overloaded)
        #expect(behaviour.retryAfterSeconds == 5)
        #expect(behaviour.cutAfterEvents == 4)
        #expect(behaviour.toolCall)
        #expect(try behaviourPatch(#"{"error":"429"}"#).applied(to: ModelBehaviour()).error == .rateLimited)
        #expect(try behaviourPatch(#"{"error":"malformed"}"#).applied(to: ModelBehaviour()).error == .malformedJSON)
    }

    @Test func nullClearsAnInheritedField() throws {
        let base = try behaviourPatch(#"{"error":"overloaded","cut_after_events":2}"#).applied(to: ModelBehaviour())
        let cleared = try behaviourPatch(#"{"error":null,"cut_after_events":null}"#).applied(to: base)
        #expect(cleared.error == nil)
        #expect(cleared.cutAfterEvents == nil)
        #expect(try behaviourPatch("{}").applied(to: base) == base)
    }

    @Test(arguments: [
        (#"{"latency_ms":5}"#, "latency_ms"), (#"{"error_rate":1.5}"#, "error_rate"), (#"{"tokens_per_event":0}"#, "tokens_per_event"),
        (#"{"error":"teapot"}"#, "error"), (#"{"tokens_per_second":-1}"#, "tokens_per_second"),
        (#"{"first_token_latency_ms":-3}"#, "first_token_latency_ms"),
    ])
    func badPatchesNameTheField(json: String, field: String) {
        #expect(throws: BehaviourError.self) { try behaviourPatch(json) }
        do {
            _ = try behaviourPatch(json)
        } catch let error as BehaviourError {
            #expect(error.field == field)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func yamlConfigurationLayersModelsOverTheDefault() throws {
        let yaml = """
            seed: 9
            require_api_key: sk-mock
            default:
              response_tokens: 32
              first_token_latency_ms: 10
            models:
              gpt-4o-mini:
                tokens_per_second: 80
              claude-3-5-haiku: { error: overloaded, error_rate: 0.2 }
            """
        let configuration = try MockConfiguration.parse(Data(yaml.utf8), json: false)
        #expect(configuration.seed == 9)
        #expect(configuration.requiredAPIKey == "sk-mock")
        let mini = configuration.behaviour(for: "gpt-4o-mini")
        #expect(mini.responseTokens == 32)
        #expect(mini.firstTokenLatencyMilliseconds == 10)
        #expect(mini.tokensPerSecond == 80)
        #expect(configuration.behaviour(for: "claude-3-5-haiku").error == .overloaded)
        #expect(configuration.behaviour(for: "unknown-model") == configuration.behaviour(for: "default"))
        #expect(try MockConfiguration.parse(Data("# nothing\n".utf8), json: false) == MockConfiguration())
    }

    @Test func jsonConfigurationAndItsErrors() throws {
        let json = #"{"default": {"hang": true}, "models": {"x": {"response_tokens": 1}}}"#
        let configuration = try MockConfiguration.parse(Data(json.utf8), json: true)
        #expect(configuration.behaviour(for: "x").hang)
        #expect(configuration.behaviour(for: "x").responseTokens == 1)
        #expect(throws: MockConfigurationError.self) {
            try MockConfiguration.parse(Data(#"{"modles": {}}"#.utf8), json: true)
        }
        #expect(throws: MockConfigurationError.self) {
            try MockConfiguration.parse(Data("models:\n  x:\n    tokens_per_second: fast\n".utf8), json: false)
        }
        #expect(throws: MockConfigurationError.self) { try MockConfiguration.load(path: "/nonexistent/mock.yaml") }
        do {
            _ = try MockConfiguration.parse(Data("models:\n  gpt-4o:\n    error_rate: 2\n".utf8), json: false, path: "mock.yaml")
            Issue.record("accepted an error rate of 2")
        } catch let error as MockConfigurationError {
            #expect(error.description == "mock.yaml: models.gpt-4o.error_rate: must be between 0 and 1")
        }
    }

    @Test func pacingPutsTheFirstTokenAtTheLatencyAndSpacesTheRest() {
        var behaviour = ModelBehaviour()
        behaviour.firstTokenLatencyMilliseconds = 100
        behaviour.tokensPerSecond = 10
        let pacing = Pacing(behaviour: behaviour)
        #expect(pacing.due(afterTokens: 0) == .milliseconds(100))
        #expect(pacing.due(afterTokens: 1) == .milliseconds(100))
        #expect(pacing.due(afterTokens: 11) == .milliseconds(1100))
        #expect(Pacing(behaviour: ModelBehaviour()).due(afterTokens: 1000) == .zero)
    }

    @Test func listenAddressForms() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:9100") == .host("127.0.0.1", port: 9100))
        #expect(try ListenAddress(parsing: "[::1]:0") == .host("::1", port: 0))
        #expect(try ListenAddress(parsing: "unix:/tmp/mock.sock") == .unix(path: "/tmp/mock.sock"))
        for bad in ["9100", "host:", ":80", "h:70000", "unix:"] {
            #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: bad) }
        }
    }
}
