import Logging
import ServiceLifecycle
import Synchronization

/// The client connections open now, each with a way to stop its requests, so the drain at
/// shutdown has a deadline of its own: `drain_timeout_seconds` after SIGTERM the daemon
/// stops whatever is still running — the upstream transfer is cancelled, the request logged
/// `cancelled`, its connection closed (as nginx's `worker_shutdown_timeout` does) — while the
/// decision log is still there to write it. (The service group's own limit, two seconds
/// later, cancelled every service at once, the log included: those rows were lost.)
final class OpenConnections: Sendable {
    private struct State {
        var next = 0
        var stops: [Int: @Sendable () -> Void] = [:]
        var stopped = false
    }

    private let state = Mutex(State())

    /// Registers a connection; nil (and `stop` run at once) when the drain is already over.
    func add(_ stop: @escaping @Sendable () -> Void) -> Int? {
        let id = state.withLock { state -> Int? in
            guard !state.stopped else { return nil }
            state.next += 1
            state.stops[state.next] = stop
            return state.next
        }
        if id == nil { stop() }
        return id
    }

    func remove(_ id: Int?) {
        guard let id else { return }
        _ = state.withLock { $0.stops.removeValue(forKey: id) }
    }

    /// Stops every connection's requests, and any connection opened later.
    func stopAll() -> Int {
        let stops = state.withLock { state in
            state.stopped = true
            defer { state.stops.removeAll() }
            return Array(state.stops.values)
        }
        for stop in stops { stop() }
        return stops.count
    }
}

/// The HTTP server as a service whose graceful shutdown has a deadline: the server stops
/// accepting and lets requests finish, and `drain` later stops the ones still running.
struct DrainingService: Service {
    let server: any Service
    let connections: OpenConnections
    let drain: Duration
    let logger: Logger

    func run() async throws {
        let connections = connections
        let drain = drain
        let logger = logger
        let deadline = Mutex<Task<Void, Never>?>(nil)
        defer { deadline.withLock { $0?.cancel() } }
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            let task = Task {
                guard (try? await Task.sleep(for: drain)) != nil else { return }
                let stopped = connections.stopAll()
                if stopped > 0 {
                    logger.warning("drain_timeout_seconds passed: stopping what is still running on \(stopped) open connections")
                }
            }
            deadline.withLock { $0 = task }
        }
    }
}
