public import Foundation

/// One outbound HTTP request.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: HTTPRequestBody
    /// Time allowed to connect (TCP and TLS); nil: libcurl's default of 300 s.
    public var connectTimeout: Duration?
    /// Time allowed for the whole transfer; nil: none (streams can be long).
    public var timeout: Duration?
    /// Speak HTTP over this Unix domain socket instead of TCP; the URL's host is then only a name.
    public var unixSocketPath: String?

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .none,
        connectTimeout: Duration? = .seconds(10), timeout: Duration? = nil, unixSocketPath: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.unixSocketPath = unixSocketPath
    }
}

/// A request body: none, bytes already in memory, or chunks produced while the request is sent.
public enum HTTPRequestBody: Sendable {
    case none
    case bytes(Data)
    /// Sent with chunked transfer encoding as the chunks arrive; the request ends when the stream does.
    case stream(AsyncStream<Data>)
}

/// The status line and headers of a response; the body follows as a stream of chunks.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// In the order received; names as sent (compare case-insensitively, see ``header(_:)``).
    public var headers: [(name: String, value: String)]
    /// Body chunks as they arrive. Stop iterating (or drop it) and the transfer is cancelled at once.
    public var body: ResponseBody

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Collects the whole body; for small, non-streaming responses.
    public func collectBody(limit: Int = 64 << 20) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            data.append(chunk)
            if data.count > limit { throw TransportError(kind: .responseTooLarge, message: "body over \(limit) bytes") }
        }
        return data
    }
}

/// A response body as it arrives. Iterate it at most once; when the iterator goes away before
/// the end (the loop breaks, the task is cancelled), the transfer is cancelled at once.
public struct ResponseBody: AsyncSequence, Sendable {
    public typealias Element = Data

    let stream: AsyncThrowingStream<Data, any Error>
    let cancel: @Sendable () -> Void

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), token: CancelToken(cancel))
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Data, any Error>.Iterator
        let token: CancelToken

        public mutating func next() async throws -> Data? {
            do {
                let chunk = try await base.next()
                if chunk == nil { token.disarm() }
                return chunk
            } catch {
                token.disarm()
                throw error
            }
        }
    }
}

/// Cancels a transfer when the last copy of its body's iterator is dropped before the end.
final class CancelToken: Sendable {
    private let action: @Sendable () -> Void
    private let armed = Atomic<Bool>(true)

    init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    func disarm() {
        armed.store(false, ordering: .relaxed)
    }

    deinit {
        if armed.load(ordering: .relaxed) { action() }
    }
}

import Synchronization
