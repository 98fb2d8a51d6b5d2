import BrokerFixtures
import CurlTransport
import Foundation
import Testing

/// The transport on its own against the real mock provider over loopback.
@Suite struct TransportAgainstMockTests {
    let transport: CurlTransport
    let mock: MockProviderProcess

    init() throws {
        transport = try CurlTransport()
        mock = try MockProviderProcess()
    }

    func body(_ model: String, stream: Bool = false) -> Data {
        Data(#"{"model":"\#(model)","stream":\#(stream),"messages":[{"role":"user","content":"hello"}]}"#.utf8)
    }

    @Test func aBufferedBodyGetsAnAnswerWithHeadersFirst() async throws {
        let response = try await transport.send(
            HTTPRequest(method: "POST", url: "\(mock.baseURL)/v1/chat/completions", headers: [("Content-Type", "application/json")], body: .bytes(body("m"))))
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("application/json") == true)
        let data = try await response.collectBody()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["object"] as? String == "chat.completion")
    }

    @Test func aStreamedBodyIsSentAsItIsProduced() async throws {
        let whole = body("streamed-upload")
        let (chunks, continuation) = AsyncStream<Data>.makeStream()
        let producer = Task {
            var offset = 0
            while offset < whole.count {
                let end = min(offset + 7, whole.count)
                continuation.yield(whole[offset..<end])
                offset = end
                try await Task.sleep(for: .milliseconds(2))
            }
            continuation.finish()
        }
        let (response, data) = try await transport.data(
            for: HTTPRequest(method: "POST", url: "\(mock.baseURL)/v1/chat/completions", body: .stream(chunks)))
        try await producer.value
        #expect(response.status == 200, "\(String(decoding: data, as: UTF8.self))")
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["model"] as? String == "streamed-upload")
    }

    @Test func manyConcurrentRequestsShareTheTransport() async throws {
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let (response, _) = try await transport.data(
                        for: HTTPRequest(method: "POST", url: "\(mock.baseURL)/v1/chat/completions", body: .bytes(body("c\(index % 4)"))))
                    return response.status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 == 200 })
    }

    @Test func aTotalTimeoutEndsAHangingRequest() async throws {
        let config = Data(#"{"hang": true}"#.utf8)
        _ = try await transport.data(for: HTTPRequest(method: "PUT", url: "\(mock.baseURL)/_mock/models/stuck", body: .bytes(config)))
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(
                HTTPRequest(method: "POST", url: "\(mock.baseURL)/v1/chat/completions", body: .bytes(body("stuck")), timeout: .milliseconds(200)))
        }
        #expect(error?.kind == .timeout)
    }

    @Test func cancellingTheTaskEndsTheWaitAtOnce() async throws {
        let config = Data(#"{"hang": true}"#.utf8)
        _ = try await transport.data(for: HTTPRequest(method: "PUT", url: "\(mock.baseURL)/_mock/models/stuck2", body: .bytes(config)))
        let request = HTTPRequest(method: "POST", url: "\(mock.baseURL)/v1/chat/completions", body: .bytes(body("stuck2")))
        let task = Task { try await transport.send(request) }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        task.cancel()
        let outcome = await task.result
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect((try? outcome.get()) == nil)
        if case .failure(let error as TransportError) = outcome { #expect(error.kind == .cancelled) }
    }
}
