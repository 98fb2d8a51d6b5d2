import CurlTransport
import Foundation
import Testing

/// Failures that need no server: each is sorted into the kind a caller acts on.
@Suite struct TransportErrorTests {
    @Test func aRefusedConnectionIsAConnectionFailure() async throws {
        let transport = try CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(HTTPRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error?.kind == .connectionFailed)
    }

    @Test func aMissingUnixSocketIsAConnectionFailure() async throws {
        let transport = try CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(HTTPRequest(url: "http://localhost/v1/status", unixSocketPath: "/nonexistent/tokenbroker.sock"))
        }
        #expect(error?.kind == .connectionFailed)
    }

    @Test func aBadURLIsAnInvalidRequest() async throws {
        let transport = try CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(HTTPRequest(url: "gopher2://nowhere"))
        }
        #expect(error?.kind == .invalidRequest)
    }

    @Test func headersWithLineBreaksAreRefused() async throws {
        let transport = try CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(HTTPRequest(url: "http://127.0.0.1:1/", headers: [("X-Evil", "a\r\nHost: other")]))
        }
        #expect(error?.kind == .invalidRequest)
    }

    @Test func afterShutdownRequestsFailAtOnce() async throws {
        let transport = try CurlTransport()
        transport.shutdown()
        transport.shutdown()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(HTTPRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error?.kind == .shutdown)
    }
}
