import Foundation
import Hummingbird
import HummingbirdTesting
import MockProvider
import NIOCore
import Testing

/// Behaviours that only a real connection shows: a stream cut mid-way, a request that hangs
/// until the client leaves, pacing in wall-clock time.
@Suite("Live server")
struct LiveServerTests {
    @Test func streamIsCutAfterTheConfiguredNumberOfEvents() async throws {
        try await withMock(configuration(default: #"{"cut_after_events": 3, "response_tokens": 10}"#), .live) { client, _ in
            let port = try #require(client.port)
            let exchange = try await RawHTTPClient.post(port: port, path: "/v1/chat/completions", body: openAIBody(stream: true))
            #expect(exchange.status == 200)
            #expect(exchange.closedByServer)
            let events = ServerSentEvent.parse(exchange.body)
            #expect(events.count == 3, "\(exchange.body)")
            #expect(!exchange.body.contains("[DONE]"))
            // A complete chunked body ends with a zero-length chunk; a cut one does not.
            #expect(!exchange.body.hasSuffix("0\r\n\r\n"))

            // The same stream without the cut ends properly.
            _ = try await client.execute(uri: "/_mock/models/gpt-4o", method: .put, body: ByteBuffer(string: #"{"cut_after_events": null}"#)) { $0 }
            let whole = try await RawHTTPClient.post(port: port, path: "/v1/chat/completions", body: openAIBody(stream: true))
            #expect(whole.body.contains("data: [DONE]"))
            #expect(whole.body.hasSuffix("0\r\n\r\n"))
        }
    }

    @Test func anthropicStreamCutStopsBeforeMessageStop() async throws {
        try await withMock(configuration(default: #"{"cut_after_events": 4}"#), .live) { client, _ in
            let port = try #require(client.port)
            let exchange = try await RawHTTPClient.post(port: port, path: "/v1/messages", body: anthropicBody(stream: true))
            let events = ServerSentEvent.parse(exchange.body)
            #expect(events.map(\.event) == ["message_start", "content_block_start", "ping", "content_block_delta"])
            #expect(exchange.closedByServer)
        }
    }

    @Test func hangNeverAnswersAndEndsWhenTheClientLeaves() async throws {
        try await withMock(configuration(models: ["stuck": #"{"hang": true}"#]), .live) { client, state in
            let port = try #require(client.port)
            let exchange = try await RawHTTPClient.post(
                port: port, path: "/v1/chat/completions", body: openAIBody(model: "stuck"), timeout: .milliseconds(400))
            #expect(!exchange.closedByServer)
            #expect(exchange.received.isEmpty)
            // The client closed its socket: the hung request must end, not pile up.
            var inFlight = -1
            for _ in 0..<100 {
                inFlight = try await client.execute(uri: "/_mock/stats", method: .get) { try $0.json() }["in_flight"]?.intValue ?? -1
                if inFlight == 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(inFlight == 0)
            #expect(state.stats.models["stuck"]?.requests == 1)
            // Other models still answer.
            #expect(try await client.post("/v1/chat/completions", openAIBody()).status == .ok)
        }
    }

    @Test func firstTokenLatencyAndSpeedAreHonoured() async throws {
        // 150 ms to the first token, then 4 more at 50 tokens/s: 230 ms in all.
        let behaviour = #"{"first_token_latency_ms": 150, "tokens_per_second": 50, "response_tokens": 5}"#
        try await withMock(configuration(default: behaviour), .live) { client, _ in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await client.post("/v1/chat/completions", openAIBody())
            let elapsed = clock.now - start
            #expect(response.status == .ok)
            #expect(elapsed >= .milliseconds(230))
            #expect(elapsed < .seconds(5))
        }
    }

    @Test func unixSocketListenAddressIsDescribedAsGiven() throws {
        #expect(ListenAddress.describe(try SocketAddress(unixDomainSocketPath: "/tmp/x.sock")) == "unix:/tmp/x.sock")
        #expect(ListenAddress.describe(try SocketAddress(ipAddress: "127.0.0.1", port: 9100)) == "127.0.0.1:9100")
        #expect(ListenAddress.describe(try SocketAddress(ipAddress: "::1", port: 80)) == "[::1]:80")
    }
}
