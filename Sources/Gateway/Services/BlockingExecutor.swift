import Dispatch

/// A task executor on its own serial dispatch queue, for work that blocks on SQLite: the
/// decision log's commits, the control API's queries, catalogue reloads.
///
/// Swift's global executor has one thread per core; on this 2-core machine a 700 ms control
/// query or a 5 ms group commit run there would stall half the gateway's request handling.
/// Work run with this executor's preference (``run(_:)``, or a Hummingbird middleware) takes
/// a thread of the queue instead: serial queues are overcommitting, so they never wait for a
/// core-bound worker.
///
/// ```swift
/// let io = BlockingExecutor(label: "tokenbroker.decision-log")
/// await io.run { writer.flush() }
/// ```
public final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Runs `work` on this executor's queue and returns its result.
    public func run<T: Sendable>(_ work: @Sendable () async throws -> T) async rethrows -> T {
        try await withTaskExecutorPreference(self) { try await work() }
    }
}
