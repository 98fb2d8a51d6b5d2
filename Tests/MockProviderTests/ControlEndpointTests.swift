import Hummingbird
import HummingbirdTesting
import MockProvider
import NIOCore
import Testing

@Suite("Control endpoint")
struct ControlEndpointTests {
    @Test func putChangesTheNextRequestOfThatModelOnly() async throws {
        try await withMock { client, _ in
            #expect(try await client.post("/v1/chat/completions", openAIBody()).status == .ok)
            let put = try await client.execute(
                uri: "/_mock/models/gpt-4o", method: .put, body: ByteBuffer(string: #"{"error": "rate_limited", "retry_after_seconds": 3}"#)
            ) { $0 }
            #expect(put.status == .ok)
            #expect(try put.json()["behaviour"]?["error"] == "rate_limited")
            let limited = try await client.post("/v1/chat/completions", openAIBody())
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "3")
            #expect(try await client.post("/v1/chat/completions", openAIBody(model: "gpt-4o-mini")).status == .ok)

            let removed = try await client.execute(uri: "/_mock/models/gpt-4o", method: .delete) { $0 }
            #expect(removed.status == .ok)
            #expect(try await client.post("/v1/chat/completions", openAIBody()).status == .ok)
        }
    }

    @Test func putOfDefaultChangesUnconfiguredModels() async throws {
        try await withMock(configuration(models: ["kept": #"{"response_tokens": 1}"#])) { client, _ in
            _ = try await client.execute(uri: "/_mock/models/default", method: .put, body: ByteBuffer(string: #"{"response_tokens": 2}"#)) { $0 }
            let any = try await client.post("/v1/chat/completions", openAIBody(model: "whatever")).json()
            #expect(any["usage"]?["completion_tokens"] == 2)
            let kept = try await client.post("/v1/chat/completions", openAIBody(model: "kept")).json()
            #expect(kept["usage"]?["completion_tokens"] == 1)
        }
    }

    @Test func modelNamesMayContainSlashes() async throws {
        try await withMock { client, _ in
            let model = "accounts/fireworks/models/llama-v3p1-8b"
            _ = try await client.execute(uri: "/_mock/models/\(model)", method: .put, body: ByteBuffer(string: #"{"error": 500}"#)) { $0 }
            #expect(try await client.post("/v1/chat/completions", openAIBody(model: model)).status == .internalServerError)
            let config = try await client.execute(uri: "/_mock/config", method: .get) { try $0.json() }
            #expect(config["models"]?[model]?["error"] == "server_error")
        }
    }

    @Test func badPutsAre400AndChangeNothing() async throws {
        try await withMock { client, state in
            for body in ["{", #"{"speed": 3}"#, #"{"error_rate": -1}"#, #"{"hang": "yes"}"#] {
                let response = try await client.execute(uri: "/_mock/models/gpt-4o", method: .put, body: ByteBuffer(string: body)) { $0 }
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.json()["error"]?.stringValue?.isEmpty == false)
            }
            #expect(state.configuration.modelPatches.isEmpty)
        }
    }

    @Test func statsCountPerModelAndPathAndResetClearsThem() async throws {
        try await withMock(configuration(models: ["bad": #"{"error": "overloaded"}"#])) { client, _ in
            _ = try await client.post("/v1/chat/completions", openAIBody())
            _ = try await client.post("/v1/chat/completions", openAIBody())
            _ = try await client.post("/v1/messages", anthropicBody(model: "bad"))
            _ = try await client.post("/v1beta/models/gemini-2.0-flash:generateContent", geminiBody())
            _ = try await client.post("/v1/messages", "{")
            let stats = try await client.execute(uri: "/_mock/stats", method: .get) { try $0.json() }
            #expect(stats["requests"] == 5)
            #expect(stats["in_flight"] == 0)
            #expect(stats["models"]?["gpt-4o"]?["paths"] == ["/v1/chat/completions": 2])
            #expect(stats["models"]?["bad"]?["errors"] == 1)
            #expect(stats["models"]?["gemini-2.0-flash"]?["paths"]?["/v1beta/models/{model}:generateContent"] == 1)
            #expect(stats["models"]?["(unknown)"]?["rejected"] == 1)

            _ = try await client.execute(uri: "/_mock/models/gpt-4o", method: .put, body: ByteBuffer(string: #"{"hang": true}"#)) { $0 }
            let reset = try await client.execute(uri: "/_mock/reset", method: .post) { $0 }
            #expect(reset.status == .ok)
            let after = try await client.execute(uri: "/_mock/stats", method: .get) { try $0.json() }
            #expect(after["requests"] == 0)
            // The reset restores the configuration the mock started with.
            let config = try await client.execute(uri: "/_mock/config", method: .get) { try $0.json() }
            #expect(config["models"]?["gpt-4o"] == nil)
            #expect(config["models"]?["bad"]?["error"] == "overloaded")
        }
    }

    @Test func resetRestartsTheErrorDraws() async throws {
        try await withMock(configuration(default: #"{"error_rate": 0.5}"#, seed: 3)) { client, _ in
            func run() async throws -> [Bool] {
                var statuses: [Bool] = []
                for _ in 0..<16 { statuses.append(try await client.post("/v1/chat/completions", openAIBody()).status == .ok) }
                return statuses
            }
            let first = try await run()
            _ = try await client.execute(uri: "/_mock/reset", method: .post) { $0 }
            #expect(try await run() == first)
        }
    }
}
