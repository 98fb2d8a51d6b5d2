import Foundation
import Glibc
import Synchronization

/// A loopback HTTP/1.1 server that holds every request until `batch` of them are waiting,
/// then answers them all ("ok", keep-alive). It counts the connections it accepted and the
/// most it had open at once, so a test can see how many requests a client really had in
/// flight — no timing involved: a client that cannot get `batch` requests out at once never
/// gets an answer.
final class BarrierServer: Sendable {
    struct Counts: Sendable {
        var accepted = 0
        var mostOpen = 0
        var answered = 0
    }

    let port: UInt16
    private let listener: Int32
    private let counts = Mutex(Counts())
    private let stopping = Atomic(false)
    private let finished = DispatchSemaphore(value: 0)

    init(batch: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 1024) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in
            serve(batch: batch)
            finished.signal()
        }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)/barrier" }

    var snapshot: Counts { counts.withLock { $0 } }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
    }

    private func serve(batch: Int) {
        var clients: [Int32: [UInt8]] = [:]
        var waiting: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !stopping.load(ordering: .relaxed) {
            var watched = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            watched += clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&watched, nfds_t(watched.count), 50) > 0 else { continue }
            for entry in watched where entry.revents != 0 {
                if entry.fd == listener {
                    let client = accept(listener, nil, nil)
                    guard client >= 0 else { continue }
                    clients[client] = []
                    counts.withLock { counts in
                        counts.accepted += 1
                        counts.mostOpen = max(counts.mostOpen, clients.count)
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                guard count > 0 else {
                    close(entry.fd)
                    clients[entry.fd] = nil
                    waiting.removeAll { $0 == entry.fd }
                    continue
                }
                clients[entry.fd, default: []] += buffer[0..<count]
                // Requests here have no body: one ends at its blank line.
                while let request = clients[entry.fd], let end = Self.headEnd(request) {
                    clients[entry.fd] = Array(request[end...])
                    waiting.append(entry.fd)
                }
            }
            if waiting.count >= batch {
                let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok".utf8)
                for client in waiting { _ = write(client, answer, answer.count) }
                counts.withLock { $0.answered += waiting.count }
                waiting.removeAll()
            }
        }
        for client in clients.keys { close(client) }
        close(listener)
    }

    /// The index just past the first "\r\n\r\n", if the buffer holds one.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 0x0A && bytes[index - 1] == 0x0D && bytes[index - 2] == 0x0A && bytes[index - 3] == 0x0D {
            return index + 1
        }
        return nil
    }
}
