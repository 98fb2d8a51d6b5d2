import BrokerStore
import ServiceLifecycle

/// Runs the decision log's group commit: one transaction per commit window. On graceful
/// shutdown it writes everything still buffered before returning, so SIGTERM loses nothing.
/// Started first, so the service group stops it last, after the HTTP server has drained.
struct DecisionLogService: Service {
    let writer: DecisionLogWriter

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: writer.commitInterval)
            }
            writer.flush()
        }
        writer.flush()
    }
}
