import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A task executor that runs jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}

/// One client connection as the request path sees it: whether the client has gone, and
/// whether the daemon stopped it. Read only when a request finds itself cancelled, to tell a
/// client that left from a daemon that stopped.
final class ClientConnection: Sendable {
    @TaskLocal static var current: ClientConnection?

    private struct State {
        var closedByClient = false
        var stoppedByDaemon = false
        var onClose: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    var closedByClient: Bool { state.withLock { $0.closedByClient } }
    var stoppedByDaemon: Bool { state.withLock { $0.stoppedByDaemon } }

    /// Runs `action` once the client has gone: at once if it already has.
    func whenClosedByClient(_ action: @escaping @Sendable () -> Void) {
        let closed = state.withLock { state in
            if !state.closedByClient { state.onClose = action }
            return state.closedByClient
        }
        if closed { action() }
    }

    func clientClosed() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            guard !state.closedByClient else { return nil }
            state.closedByClient = true
            defer { state.onClose = nil }
            return state.onClose
        }
        action?()
    }

    func daemonStopped() {
        state.withLock { $0.stoppedByDaemon = true }
    }
}

/// First in each connection's pipeline: tells the connection when the client has closed its
/// side (Hummingbird allows half-closed connections, so that is an event, not a close).
final class ClientCloseWatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let connection: ClientConnection

    init(_ connection: ClientConnection) {
        self.connection = connection
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent { connection.clientClosed() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.clientClosed()
        context.fireChannelInactive()
    }
}

/// Hummingbird's HTTP/1 channel with each connection's whole request loop on that
/// connection's event loop, cancelled when the client closes the connection: Hummingbird
/// itself only notices a client that left when it next writes, so an upstream call (and its
/// cost) would run to the end for nobody. Cancelling the task cancels the transfer at once,
/// as nginx aborts an upstream request when its client closes.
struct EventLoopBoundHTTP1: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let inner: HTTP1Channel.Value
        let connection: ClientConnection
        var channel: any Channel { inner.channel }
    }

    let inner: HTTP1Channel
    let connections: OpenConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let connection = ClientConnection()
        do {
            try channel.pipeline.syncOperations.addHandler(ClientCloseWatcher(connection), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger).map { Value(inner: $0, connection: connection) }
    }

    func handle(value: Value, logger: Logger) async {
        let connection = value.connection
        let requests = Task(executorPreference: EventLoopTaskExecutor(value.channel.eventLoop)) {
            await ClientConnection.$current.withValue(connection) {
                await inner.handle(value: value.inner, logger: logger)
            }
        }
        connection.whenClosedByClient { requests.cancel() }
        let stop: @Sendable () -> Void = {
            connection.daemonStopped()
            requests.cancel()
        }
        // Stopped when the drain at shutdown runs out (or, as a last resort, when the service
        // group cancels the server).
        let registration = connections.add(stop)
        defer { connections.remove(registration) }
        await withTaskCancellationHandler {
            await requests.value
        } onCancel: {
            stop()
        }
    }
}
