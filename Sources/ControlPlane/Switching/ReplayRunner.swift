public import BrokerCore
public import BrokerStore
public import Foundation
public import PriceFeeds

/// Replays a workload over a price history into a fresh SQLite database: the market's
/// price versions, one decision row per request and run, the runs, and the price wars.
///
/// Each threshold is one run; its tenants are suffixed `@<threshold>%` (`analysts@10%`) so
/// the runs share the `decisions` table and the switching queries select a run by suffix.
public struct ReplayRunner: Sendable {
    public var market: HistoryMarket
    public var workload: Workload
    public var thresholds: [Int]
    public var historyName: String

    public init(market: HistoryMarket, workload: Workload, thresholds: [Int], historyName: String) {
        self.market = market
        self.workload = workload
        self.thresholds = thresholds
        self.historyName = historyName
    }

    /// `@10%`, `@12.5%`.
    public static func tenantSuffix(thresholdBasisPoints: Int) -> String {
        "@" + ExactDecimal.format(Int128(thresholdBasisPoints), scale: 2) + "%"
    }

    public static func runID(thresholdBasisPoints: Int) -> String { "t\(thresholdBasisPoints)" }

    /// Runs every threshold and writes everything to `store`; returns the runs.
    public func run(into store: SQLiteStore) throws -> [ReplayRunRecord] {
        let timeline = market.timeline
        let versions = timeline.versions.sorted { $0.key < $1.key }.flatMap { offer, list in list.map { (offer, $0) } }
        _ = try store.importPrices(
            PriceBatch(models: timeline.models, offers: timeline.versions.keys.sorted().map { Offer(id: $0, enabled: false) }, versions: versions))
        let simulator = ReplaySimulator(timeline: timeline, workload: workload, thresholds: thresholds)
        guard let period = simulator.period else { return [] }
        var counters = Dictionary(uniqueKeysWithValues: thresholds.map { ($0, 0) })
        var pending: [RepeatedDecision] = []
        var pendingCount = 0
        try store.withDecisionIndexesDeferred {
        try simulator.run { batch in
            let suffix = Self.tenantSuffix(thresholdBasisPoints: batch.thresholdBasisPoints)
            let runID = Self.runID(thresholdBasisPoints: batch.thresholdBasisPoints)
            for part in batch.parts {
                var template = DecisionRecord(
                    id: "", tenant: batch.stream.tenant + suffix, decision: part.decision, previousProvider: part.previousProvider)
                template.streamKey = "\(template.tenant)/\(batch.stream.model)"
                var counter = counters[batch.thresholdBasisPoints]!
                let occurrences = part.times.map { time -> (id: String, at: Date) in
                    counter += 1
                    return (Self.decisionID(run: runID, number: counter), time)
                }
                counters[batch.thresholdBasisPoints] = counter
                pending.append(RepeatedDecision(template: template, occurrences: occurrences))
                pendingCount += occurrences.count
            }
            if pendingCount >= 100_000 {
                try store.recordRepeatedDecisions(pending)
                pending.removeAll(keepingCapacity: true)
                pendingCount = 0
            }
        }
        try store.recordRepeatedDecisions(pending)
        }
        let runs = thresholds.map { threshold in
            ReplayRunRecord(
                id: Self.runID(thresholdBasisPoints: threshold), thresholdBasisPoints: threshold,
                tenantSuffix: Self.tenantSuffix(thresholdBasisPoints: threshold), workload: workload.name, history: historyName,
                firstDay: period.lowerBound, lastDay: period.upperBound, requests: counters[threshold] ?? 0)
        }
        for run in runs { try store.recordReplayRun(run) }
        try store.setReplayNote(SwitchingReport.warsNote, try ReportJSON.string(market.priceWars()))
        return runs
    }

    /// `t10-000000042`: sorts in decision order within a run.
    static func decisionID(run: String, number: Int) -> String {
        let digits = String(number)
        return run + "-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }
}

/// Deterministic JSON: sorted snake_case keys, dates as ISO 8601.
public enum ReportJSON {
    public static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(value)
    }

    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try data(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
