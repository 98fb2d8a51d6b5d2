import BrokerStore
import ServiceLifecycle

/// Runs the decision log's group commit: one transaction per commit window. On graceful
/// shutdown it writes everything still buffered before returning, so SIGTERM loses nothing.
/// Started first, so the service group stops it last, after the HTTP server has drained.
///
/// Commits run on their own thread (``BlockingExecutor``), never on the executor that
/// serves requests.
struct DecisionLogService: Service {
    let writer: DecisionLogWriter
    let io = BlockingExecutor(label: "tokenbroker.decision-log")

    func run() async throws {
        let writer = self.writer
        await io.run {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                try? await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: writer.commitInterval)
                }
                writer.flush()
            }
            writer.flush()
        }
    }
}
