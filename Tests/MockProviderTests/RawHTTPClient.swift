import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deliberately dumb HTTP/1.1 client over a blocking socket: sends the bytes it is given
/// and reads until the server closes or a timeout passes. It sees what a real client sees
/// when a stream is cut or a request hangs, which a higher-level client hides.
enum RawHTTPClient {
    struct Exchange {
        /// Everything received: status line, headers, body (chunked bodies as sent).
        var received: String
        /// The server closed the connection (rather than the read timing out).
        var closedByServer: Bool

        var status: Int? {
            let parts = received.prefix(while: { $0 != "\r" }).split(separator: " ")
            return parts.count > 1 ? Int(parts[1]) : nil
        }

        var body: String {
            guard let range = received.range(of: "\r\n\r\n") else { return "" }
            return String(received[range.upperBound...])
        }

        func header(_ name: String) -> String? {
            let head = received.components(separatedBy: "\r\n\r\n").first ?? ""
            for line in head.components(separatedBy: "\r\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }
    }

    /// POSTs `body` to `path` on 127.0.0.1:`port` with `Connection: close`.
    static func post(port: Int, path: String, body: String, timeout: Duration = .seconds(10)) async throws -> Exchange {
        let request =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        return try await exchange(port: port, request: request, timeout: timeout)
    }

    /// Sends `request` and reads until the server closes or `timeout` passes without data.
    /// Runs on a thread of its own so the blocking calls never hold a Swift concurrency thread.
    static func exchange(port: Int, request: String, timeout: Duration) async throws -> Exchange {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try blockingExchange(port: port, request: request, timeout: timeout) })
            }.start()
        }
    }

    struct SocketError: Error {
        var call: String
        var code: Int32
    }

    private static func blockingExchange(port: Int, request: String, timeout: Duration) throws -> Exchange {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketError(call: "connect", code: errno) }
        let (seconds, attoseconds) = timeout.components
        var interval = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw SocketError(call: "send", code: errno) }
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 {
                return Exchange(received: String(decoding: received, as: UTF8.self), closedByServer: true)
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return Exchange(received: String(decoding: received, as: UTF8.self), closedByServer: false)
            } else if errno == ECONNRESET {
                return Exchange(received: String(decoding: received, as: UTF8.self), closedByServer: true)
            } else if errno != EINTR {
                throw SocketError(call: "recv", code: errno)
            }
        }
    }
}
