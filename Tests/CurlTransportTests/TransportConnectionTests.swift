import CurlTransport
import Foundation
import Testing

/// How many requests to one host the transport has in flight at once.
@Suite struct TransportConnectionTests {
    /// All of `count` GETs to the server at once; their statuses.
    func sendAll(_ count: Int, through transport: CurlTransport, to server: BarrierServer) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<count {
                group.addTask {
                    // The timeout only turns a hang into a failure: the server answers once all are in.
                    let (response, body) = try await transport.data(for: HTTPRequest(url: server.url, timeout: .seconds(30)))
                    #expect(String(decoding: body, as: UTF8.self) == "ok")
                    return response.status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
    }

    /// An LLM answer can take a minute: a gateway must not queue the 65th request to a
    /// provider behind the first 64 (libcurl's per-host limit was 64 here before).
    @Test func withoutALimitEveryRequestIsInFlightAtOnce() async throws {
        let server = try BarrierServer(batch: 150)
        defer { server.stop() }
        let transport = try CurlTransport()
        let statuses = try await sendAll(150, through: transport, to: server)
        #expect(statuses.count == 150 && statuses.allSatisfy { $0 == 200 })
        #expect(server.snapshot.mostOpen == 150)
    }

    @Test func aPerHostLimitCapsTheConnections() async throws {
        let server = try BarrierServer(batch: 4)
        defer { server.stop() }
        let transport = try CurlTransport(configuration: .init(maxConnectionsPerHost: 4))
        let statuses = try await sendAll(12, through: transport, to: server)
        #expect(statuses.count == 12 && statuses.allSatisfy { $0 == 200 })
        let counts = server.snapshot
        #expect(counts.accepted == 4, "connections beyond the limit were opened: \(counts)")
        #expect(counts.answered == 12)
    }

    /// More requests in flight than the connection cache's configured size: each round's
    /// connections are reused by the next. With libcurl's limit fixed at the configured size,
    /// all but 4 were closed as their transfers ended and every later round opened 16 anew.
    @Test func aBurstPastTheCacheSizeKeepsItsConnections() async throws {
        let server = try BarrierServer(batch: 20)
        defer { server.stop() }
        let transport = try CurlTransport(configuration: .init(maxCachedConnections: 4))
        for _ in 0..<3 {
            let statuses = try await sendAll(20, through: transport, to: server)
            #expect(statuses.count == 20 && statuses.allSatisfy { $0 == 200 })
        }
        let counts = server.snapshot
        #expect(counts.accepted == 20, "connections were closed and opened again: \(counts)")
        #expect(counts.answered == 60)
    }
}
