public import struct Foundation.Date

/// One replay run in a replay database: a workload replayed over a price history at one
/// switching threshold. Its decisions are those whose tenant ends in `tenantSuffix`.
public struct ReplayRunRecord: Sendable, Hashable, Codable {
    public var id: String
    public var thresholdBasisPoints: Int
    public var tenantSuffix: String
    public var workload: String
    public var history: String
    public var firstDay: Date
    public var lastDay: Date
    public var requests: Int

    public init(
        id: String, thresholdBasisPoints: Int, tenantSuffix: String, workload: String, history: String, firstDay: Date,
        lastDay: Date, requests: Int
    ) {
        self.id = id
        self.thresholdBasisPoints = thresholdBasisPoints
        self.tenantSuffix = tenantSuffix
        self.workload = workload
        self.history = history
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.requests = requests
    }
}

/// Many decisions that differ only in id and time (a replayed stream's requests within one
/// step): the record is encoded once and written once per occurrence.
public struct RepeatedDecision: Sendable {
    public var template: DecisionRecord
    public var occurrences: [(id: String, at: Date)]

    public init(template: DecisionRecord, occurrences: [(id: String, at: Date)]) {
        self.template = template
        self.occurrences = occurrences
    }
}
