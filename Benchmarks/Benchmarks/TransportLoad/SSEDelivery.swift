import CurlTransport
import Foundation
import Glibc

/// The delay from an SSE event leaving a server to its delivery to the consumer, through
/// CurlTransport and through a plain socket read loop (the floor), in one process so both
/// ends read the same monotonic clock. The server writes each event as its own chunk with
/// the nanosecond it was written, 1 ms apart.
enum SSEDelivery {
    struct Result {
        var transport: Samples
        var raw: Samples
    }

    static func measure(transport: CurlTransport, events: Int) async throws -> Result {
        let server = try SSEServer(events: events)
        let url = "http://127.0.0.1:\(server.port)/stream"
        var viaTransport = Samples()
        let response = try await transport.send(HTTPRequest(url: url))
        var buffer = Data()
        for try await chunk in response.body {
            let received = monotonicNanoseconds()
            buffer.append(chunk)
            for sent in takeTimestamps(&buffer) { viaTransport.add(.nanoseconds(received - sent)) }
        }
        var raw = Samples()
        let socket = try rawConnect(port: server.port)
        defer { close(socket) }
        let request = "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var rawBuffer = Data()
        var bytes = [UInt8](repeating: 0, count: 65_536)
        while raw.count < events {
            let count = recv(socket, &bytes, bytes.count, 0)
            if count <= 0 { break }
            let received = monotonicNanoseconds()
            rawBuffer.append(contentsOf: bytes[0..<count])
            for sent in takeTimestamps(&rawBuffer) { raw.add(.nanoseconds(received - sent)) }
        }
        return Result(transport: viaTransport, raw: raw)
    }

    /// Pulls every complete `data: NANOS` line out of the buffer.
    static func takeTimestamps(_ buffer: inout Data) -> [Int64] {
        var stamps: [Int64] = []
        while let range = buffer.range(of: Data("\n\n".utf8)) {
            let event = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex..<range.upperBound)
            // "\r\n" is one Character in Swift, so split on both (the raw read sees chunk framing).
            if let line = event.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).last(where: { $0.hasPrefix("data: ") }),
                let nanos = Int64(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
            {
                stamps.append(nanos)
            }
        }
        return stamps
    }

    static func rawConnect(port: UInt16) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        return socket
    }
}

func monotonicNanoseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}

/// A one-purpose HTTP/1.1 server: every connection gets `events` chunked SSE events, 1 ms apart.
final class SSEServer: @unchecked Sendable {
    let listener: Int32
    let port: UInt16
    let events: Int

    init(events: Int) throws {
        self.events = events
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(listener, 16)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: bound.sin_port)
        start()
    }

    private func start() {
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                Thread.detachNewThread { self.serve(client) }
            }
        }
    }

    func serve(_ client: Int32) {
        defer { close(client) }
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var request = [UInt8](repeating: 0, count: 4_096)
        _ = recv(client, &request, request.count, 0)
        write(client, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in 0..<events {
            usleep(1_000)
            let event = "data: \(monotonicNanoseconds())\n\n"
            write(client, String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n")
        }
        write(client, "0\r\n\r\n")
    }

    func write(_ socket: Int32, _ text: String) {
        _ = text.withCString { send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }
}
