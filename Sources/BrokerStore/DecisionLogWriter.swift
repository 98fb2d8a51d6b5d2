import Synchronization

/// Writes decisions to the store in batches: requests hand records over without waiting, and
/// everything handed over within one commit window goes to SQLite in a single transaction
/// (group commit), so logging every decision costs the request path one lock.
///
/// At most one commit window (`commitInterval`, 50 ms by default) of decisions is lost if the
/// process is killed; ``run()`` flushes everything on graceful cancellation.
///
/// ```swift
/// let writer = DecisionLogWriter(store: store)
/// let task = Task { await writer.run() }
/// writer.record(decisionRecord)
/// task.cancel(); await task.value        // flushed
/// ```
public final class DecisionLogWriter: Sendable {
    struct Buffer {
        var records: [DecisionRecord] = []
        var written = 0
        var failedBatches = 0
        var dropped = 0
        var lastError: String?
        var lastFlushFailed = false
    }

    let store: any CatalogueStore
    public let commitInterval: Duration
    /// Records kept while the store refuses writes; older ones are dropped past this (and counted).
    public let maxBuffered: Int
    private let buffer = Mutex(Buffer())

    public init(store: any CatalogueStore, commitInterval: Duration = .milliseconds(50), maxBuffered: Int = 100_000) {
        self.store = store
        self.commitInterval = commitInterval
        self.maxBuffered = maxBuffered
    }

    /// Hands a decision over; it is written within one commit window.
    public func record(_ record: DecisionRecord) {
        buffer.withLock { buffer in
            buffer.records.append(record)
            if buffer.records.count > maxBuffered {
                let excess = buffer.records.count - maxBuffered
                buffer.records.removeFirst(excess)
                buffer.dropped += excess
            }
        }
    }

    /// Commits every commit window until cancelled, then writes what is left.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: commitInterval)
            flush()
        }
        flush()
    }

    /// Writes everything handed over so far in one transaction. On a store error the records
    /// stay buffered for the next attempt.
    public func flush() {
        let batch = buffer.withLock { buffer -> [DecisionRecord] in
            defer { buffer.records.removeAll(keepingCapacity: true) }
            return buffer.records
        }
        guard !batch.isEmpty else { return }
        do {
            try store.recordDecisions(batch)
            buffer.withLock {
                $0.written += batch.count
                $0.lastFlushFailed = false
            }
        } catch {
            buffer.withLock { buffer in
                buffer.records.insert(contentsOf: batch, at: 0)
                buffer.failedBatches += 1
                buffer.lastFlushFailed = true
                buffer.lastError = "\(error)"
            }
        }
    }

    /// Counts for metrics and `tokenbroker status`.
    public struct Statistics: Sendable, Hashable {
        public var pending: Int
        public var written: Int
        public var failedBatches: Int
        public var dropped: Int
        public var lastError: String?
        /// Whether the most recent write failed (the store is not writable right now).
        public var failing: Bool
    }

    public var statistics: Statistics {
        buffer.withLock {
            Statistics(
                pending: $0.records.count, written: $0.written, failedBatches: $0.failedBatches, dropped: $0.dropped,
                lastError: $0.lastError, failing: $0.lastFlushFailed)
        }
    }
}
