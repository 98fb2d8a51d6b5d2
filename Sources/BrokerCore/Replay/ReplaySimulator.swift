public import struct Foundation.Date
public import struct Foundation.TimeInterval

/// Runs a workload through the real ``Router`` over a ``MarketTimeline``, step by step,
/// once per switching threshold. Pure: decisions are handed to `sink` as they are made.
///
/// Within a step the catalogue is fixed, so a stream's requests after its first decide
/// alike: each step routes a stream at most twice (the first request, with the stream's
/// previous provider; the rest, with the provider the first chose) and hands both
/// decisions over with the times they cover. That is what makes a year of a million
/// requests cheap to route; the decision log still gets one row per request.
public struct ReplaySimulator: Sendable {
    public var timeline: MarketTimeline
    public var workload: Workload
    /// Switching thresholds in basis points, one run each; every policy's own threshold is
    /// replaced by the run's.
    public var thresholds: [Int]
    public var step: TimeInterval

    public init(timeline: MarketTimeline, workload: Workload, thresholds: [Int], step: TimeInterval = 86_400) {
        self.timeline = timeline.adding(policies: workload.policies)
        self.workload = workload
        self.thresholds = thresholds
        self.step = step
    }

    /// The first and last step: the workload's dates, else the timeline's span.
    public var period: ClosedRange<Date>? {
        guard let span = timeline.span else { return nil }
        let start = workload.start ?? span.lowerBound
        let end = workload.end ?? span.upperBound
        return start <= end ? start...end : nil
    }

    /// Routes every stream at every step; throws ``ResolveError`` when a stream names a
    /// policy, model or offer the market never has.
    public func run(_ sink: (ReplayBatch) throws -> Void) throws {
        guard let period else { return }
        let changes = timeline.changeDates
        var nextChange = changes.firstIndex { $0 > period.lowerBound } ?? changes.endIndex
        var table = RoutingTable(catalogue: timeline.catalogue(at: period.lowerBound), at: period.lowerBound)
        try checkStreams(against: period)
        var previous = Array(repeating: [String?](repeating: nil, count: workload.streams.count), count: thresholds.count)
        var stepStart = period.lowerBound
        while stepStart <= period.upperBound {
            if nextChange < changes.endIndex, changes[nextChange] <= stepStart {
                while nextChange < changes.endIndex, changes[nextChange] <= stepStart { nextChange += 1 }
                table = RoutingTable(catalogue: timeline.catalogue(at: stepStart), at: stepStart)
            }
            for (run, threshold) in thresholds.enumerated() {
                for (index, stream) in workload.streams.enumerated() where stream.requestsPerDay > 0 {
                    guard var query = try? table.query(for: stream.profile) else { continue }
                    query.policy.switchingThresholdBasisPoints = threshold
                    let batch = route(query, stream: stream, previous: previous[run][index], table: table, at: stepStart, threshold: threshold)
                    // A stream starts once something can serve it (a model not yet on sale has no traffic).
                    if previous[run][index] == nil, batch.parts.allSatisfy({ $0.decision.chosen == nil }) { continue }
                    if let last = batch.parts.last?.decision.chosen?.offer.provider { previous[run][index] = last }
                    try sink(batch)
                }
            }
            stepStart = stepStart.addingTimeInterval(step)
        }
    }

    private func route(_ query: RoutingQuery, stream: WorkloadStream, previous: String?, table: RoutingTable, at start: Date, threshold: Int) -> ReplayBatch {
        let count = max(1, Int((Double(stream.requestsPerDay) * step / 86_400).rounded()))
        let spacing = step / Double(count)
        let first = Router.route(query, in: table, context: RoutingContext(now: start, previousProvider: previous))
        var parts = [ReplayBatch.Part(decision: first, previousProvider: previous, times: [start])]
        if count > 1 {
            let then = first.chosen?.offer.provider ?? previous
            let second = start.addingTimeInterval(spacing)
            var rest = Router.route(query, in: table, context: RoutingContext(now: second, previousProvider: then))
            rest.decidedAt = second
            parts.append(
                ReplayBatch.Part(
                    decision: rest, previousProvider: then, times: (1..<count).map { start.addingTimeInterval(spacing * Double($0)) }))
        }
        return ReplayBatch(thresholdBasisPoints: threshold, stream: stream, parts: parts)
    }

    /// A stream whose `model` resolves on no date of the replay is a mistake in the workload.
    private func checkStreams(against period: ClosedRange<Date>) throws {
        let table = RoutingTable(catalogue: timeline.catalogue(at: period.upperBound), at: period.upperBound)
        for stream in workload.streams {
            _ = try table.query(for: stream.profile)
        }
    }
}

/// The decisions one stream received in one step of one run.
public struct ReplayBatch: Sendable {
    public struct Part: Sendable {
        public var decision: Decision
        public var previousProvider: String?
        /// When each request covered by this decision was made.
        public var times: [Date]
    }

    public var thresholdBasisPoints: Int
    public var stream: WorkloadStream
    public var parts: [Part]

    public var requestCount: Int { parts.map(\.times.count).reduce(0, +) }
}
