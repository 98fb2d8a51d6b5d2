public import Foundation
import CCurl
import Glibc
import Synchronization

/// An asynchronous HTTP client on libcurl's multi interface.
///
/// One transport thread owns a `curl_multi` handle and sleeps in `epoll_wait` on the sockets
/// libcurl asks it to watch (`curl_multi_socket_action`); callers on any thread hand it work
/// through a lock-protected queue and wake it through an eventfd. Connections are reused
/// across requests, HTTP/2 is multiplexed where the server offers it, and TLS is verified.
/// Linux only (epoll).
///
/// ```swift
/// let transport = try CurlTransport()
/// let response = try await transport.send(HTTPRequest(method: "POST", url: url, body: .bytes(body)))
/// for try await chunk in response.body { … }   // stop early and the transfer is cancelled
/// ```
public final class CurlTransport: Sendable {
    public struct Configuration: Sendable {
        /// Connections open to one host at once; 0: no limit. Over HTTP/1.1 every request in
        /// flight needs a connection of its own, and a request over the limit waits for one.
        public var maxConnectionsPerHost: Int
        /// Connections libcurl's cache holds at least (in use and idle; past the limit the
        /// oldest idle one is closed when a transfer ends). The transport raises the limit to
        /// twice the most transfers in flight, so a burst past this number does not close a
        /// connection at the end of every transfer and open (and TLS-handshake) a new one for
        /// the next; idle connections are closed after libcurl's `CURLOPT_MAXAGE_CONN`.
        public var maxCachedConnections: Int
        /// Verify server certificates and names (never turn off outside tests).
        public var verifyTLS: Bool

        public init(maxConnectionsPerHost: Int = 0, maxCachedConnections: Int = 256, verifyTLS: Bool = true) {
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxCachedConnections = maxCachedConnections
            self.verifyTLS = verifyTLS
        }
    }

    let state: TransportState
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    public init(configuration: Configuration = .init()) throws {
        _ = CurlGlobal.initialized
        guard let handle = curl_multi_init() else {
            throw TransportError(kind: .other, message: "curl_multi_init failed")
        }
        tb_multi_setopt_long(handle, CURLMOPT_PIPELINING, TB_CURLPIPE_MULTIPLEX)
        tb_multi_setopt_long(handle, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        tb_multi_setopt_long(handle, CURLMOPT_MAXCONNECTS, configuration.maxCachedConnections)
        // Everything that can fail comes before `state` is set: once every stored property is
        // set, a throw would run `deinit`, whose shutdown waits for a thread never started.
        let wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard wakeFD >= 0, epoll >= 0, tb_epoll_watch(epoll, wakeFD, CURL_POLL_IN) == 0 else {
            let reason = String(cString: strerror(errno))
            if wakeFD >= 0 { close(wakeFD) }
            if epoll >= 0 { close(epoll) }
            curl_multi_cleanup(handle)
            throw TransportError(kind: .other, message: "cannot set up the transport thread's epoll and eventfd: \(reason)")
        }
        state = TransportState(wakeFD: wakeFD, configuration: configuration)
        // The loop owns the multi handle and the epoll instance from here on, and cleans them up when it ends.
        let loop = TransportLoop(state: state, multi: handle, epoll: epoll)
        let thread = Thread { [finished] in
            loop.run()
            finished.signal()
        }
        thread.name = "tokenbroker-curl"
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        shutdown()
    }

    /// Sends a request and returns once the status and headers have arrived; the body
    /// follows as `response.body`. Cancelling the calling task cancels the transfer.
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let state = self.state
        let id = state.nextID()
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        // Dropping the stream unread, or leaving its iterator early, cancels the transfer.
        continuation.onTermination = { termination in
            if case .cancelled = termination { state.enqueue(.cancel(id)) }
        }
        let body = ResponseBody(stream: stream) { state.enqueue(.cancel(id)) }
        return try await submit(id: id) { (head: CheckedContinuation<HTTPResponse, any Error>) in
            Transfer(id: id, request: request, head: head, body: body, continuation: continuation)
        }
    }

    /// Sends a request and collects the whole response body, delivered in one piece when the
    /// transfer ends (cheaper than iterating ``send(_:)``'s body for small answers).
    public func data(for request: HTTPRequest, limit: Int = 64 << 20) async throws(TransportError) -> (response: HTTPResponse, body: Data) {
        let id = state.nextID()
        return try await submit(id: id) { (result: CheckedContinuation<(HTTPResponse, Data), any Error>) in
            Transfer(id: id, request: request, collected: result, limit: limit)
        }
    }

    /// Hands a transfer to the transport thread and waits for what it delivers; cancelling
    /// the calling task cancels the transfer.
    private func submit<Result: Sendable>(
        id: UInt64, _ makeTransfer: (CheckedContinuation<Result, any Error>) -> Transfer
    ) async throws(TransportError) -> Result {
        let state = self.state
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                    let transfer = makeTransfer(continuation)
                    guard state.enqueue(.start(transfer)) else {
                        transfer.complete(with: TransportError(kind: .shutdown, message: "the transport is shut down"))
                        return
                    }
                    // Cancelled before the start was queued: onCancel's cancel found nothing to cancel.
                    if Task.isCancelled { state.enqueue(.cancel(id)) }
                }
            } onCancel: {
                state.enqueue(.cancel(id))
            }
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(kind: .other, message: "\(error)")
        }
    }

    /// Stops the transport thread; transfers in flight fail with `.shutdown`. Idempotent.
    public func shutdown() {
        let first = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        state.requestShutdown()
        if Thread.current.name != "tokenbroker-curl" { finished.wait() }
    }
}

/// What callers and the transport thread share: the command queue and the eventfd that
/// wakes the thread.
final class TransportState: Sendable {
    enum Command: Sendable {
        case start(Transfer)
        case cancel(UInt64)
        case upload(UInt64, Data)
        case uploadEnd(UInt64)
    }

    struct Queue {
        var commands: [Command] = []
        var nextID: UInt64 = 1
        var shutdown = false
        var closed = false
    }

    /// Written to wake the transport thread; open until ``close()``.
    let wakeFD: Int32
    let configuration: CurlTransport.Configuration
    let queue = Mutex(Queue())

    init(wakeFD: Int32, configuration: CurlTransport.Configuration) {
        self.wakeFD = wakeFD
        self.configuration = configuration
    }

    func nextID() -> UInt64 {
        queue.withLock { queue in
            defer { queue.nextID += 1 }
            return queue.nextID
        }
    }

    /// Queues a command and wakes the transport thread; false once shut down.
    ///
    /// The wake-up happens under the lock so it can never reach an eventfd the thread has
    /// already closed (see ``close()``).
    @discardableResult
    func enqueue(_ command: Command) -> Bool {
        queue.withLock { queue -> Bool in
            guard !queue.shutdown else { return false }
            // A non-empty queue already has a wake-up on its way: the thread takes every
            // queued command at once, so one wake-up per batch is enough.
            let wake = queue.commands.isEmpty
            queue.commands.append(command)
            if wake { tb_eventfd_signal(wakeFD) }
            return true
        }
    }

    func requestShutdown() {
        queue.withLock { queue in
            queue.shutdown = true
            if !queue.closed { tb_eventfd_signal(wakeFD) }
        }
    }

    /// The transport thread is done: no wake-up may touch the eventfd after this.
    func close() {
        queue.withLock { queue in
            queue.closed = true
            Glibc.close(wakeFD)
        }
    }

    /// Takes the queued commands, and whether shutdown was asked for.
    func takeCommands() -> (commands: [Command], shutdown: Bool) {
        queue.withLock { queue in
            defer { queue.commands.removeAll(keepingCapacity: true) }
            return (queue.commands, queue.shutdown)
        }
    }

    /// Feeds a streamed request body to its transfer from a task of its own.
    func pumpUpload(_ stream: AsyncStream<Data>, id: UInt64) {
        Task {
            for await chunk in stream where !chunk.isEmpty {
                guard enqueue(.upload(id, chunk)) else { return }
            }
            enqueue(.uploadEnd(id))
        }
    }
}

enum CurlGlobal {
    /// `curl_global_init` must run once before any other libcurl call.
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}
