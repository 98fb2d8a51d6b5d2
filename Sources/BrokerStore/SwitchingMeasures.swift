public import BrokerCore
public import struct Foundation.Date

/// The length of the periods churn, retention and concentration are measured over.
public enum SwitchingPeriod: String, Sendable, Hashable, CaseIterable, Codable {
    case hour
    case day
    /// Weeks start on Monday, 00:00 UTC.
    case week

    /// SQL turning an hour number (`at_ms / 3600000`, the rollup's `hour`) into a period number.
    var hourBucketSQL: String {
        switch self {
        case .hour: "hour"
        case .day: "(hour / 24)"
        case .week: "((hour / 24 + 3) / 7)"
        }
    }

    /// The number of the period holding `date` (at or after 1970).
    func bucket(containing date: Date) -> Int64 {
        let hour = Int64((date.timeIntervalSince1970 / 3_600).rounded(.down))
        return switch self {
        case .hour: hour
        case .day: hour / 24
        case .week: (hour / 24 + 3) / 7
        }
    }

    /// When period number `bucket` starts.
    func start(_ bucket: Int64) -> Date {
        switch self {
        case .hour: Date(timeIntervalSince1970: Double(bucket) * 3_600)
        case .day: Date(timeIntervalSince1970: Double(bucket) * 86_400)
        case .week: Date(timeIntervalSince1970: Double(bucket * 7 - 3) * 86_400)
        }
    }
}

/// Which decisions a switching measure reads. Every measure ignores decisions that chose no offer.
public struct SwitchingFilter: Sendable, Hashable {
    public var since: Date?
    /// Exclusive.
    public var until: Date?
    public var tenant: String?
    /// Only tenants ending with this (a replay run's tenants end in `@<threshold>%`).
    public var tenantSuffix: String?
    public var policy: String?
    /// Only these streams: read through the stream index alone, the fastest way to select a replay run.
    public var streamKeys: [String]?
    public var period: SwitchingPeriod

    public init(
        since: Date? = nil, until: Date? = nil, tenant: String? = nil, tenantSuffix: String? = nil, policy: String? = nil,
        streamKeys: [String]? = nil, period: SwitchingPeriod = .day
    ) {
        self.streamKeys = streamKeys
        self.since = since
        self.until = until
        self.tenant = tenant
        self.tenantSuffix = tenantSuffix
        self.policy = policy
        self.period = period
    }
}

/// Switches over decisions, for one stream or overall.
public struct SwitchRate: Sendable, Hashable, Codable {
    public var streamKey: String?
    public var decisions: Int
    public var switches: Int
    /// Decisions kept with the previous provider by the switching threshold.
    public var held: Int

    public init(streamKey: String?, decisions: Int, switches: Int, held: Int) {
        self.streamKey = streamKey
        self.decisions = decisions
        self.switches = switches
        self.held = held
    }

    /// switches / decisions, in basis points.
    public var rateBasisPoints: Int { decisions > 0 ? Int(Int64(switches) * 10_000 / Int64(decisions)) : 0 }
}

/// One period's churn: spend and requests served by a provider other than the one that
/// served the same stream last in the previous period. Streams new in the period are not churn.
public struct ChurnPoint: Sendable, Hashable, Codable {
    public var start: Date
    public var spendNanoUSD: Int64
    public var churnedSpendNanoUSD: Int64
    public var requests: Int
    public var churnedRequests: Int

    public init(start: Date, spendNanoUSD: Int64, churnedSpendNanoUSD: Int64, requests: Int, churnedRequests: Int) {
        self.start = start
        self.spendNanoUSD = spendNanoUSD
        self.churnedSpendNanoUSD = churnedSpendNanoUSD
        self.requests = requests
        self.churnedRequests = churnedRequests
    }

    public var spendChurnBasisPoints: Int { ratio(churnedSpendNanoUSD, spendNanoUSD) }
    public var requestChurnBasisPoints: Int { ratio(Int64(churnedRequests), Int64(requests)) }
}

/// A provider's retention from one period to the next: of its spend in streams that are
/// still active, the share in streams it still serves.
public struct RetentionPoint: Sendable, Hashable, Codable {
    public var provider: String
    /// The later of the two periods.
    public var start: Date
    public var previousSpendNanoUSD: Int64
    public var retainedSpendNanoUSD: Int64

    public init(provider: String, start: Date, previousSpendNanoUSD: Int64, retainedSpendNanoUSD: Int64) {
        self.provider = provider
        self.start = start
        self.previousSpendNanoUSD = previousSpendNanoUSD
        self.retainedSpendNanoUSD = retainedSpendNanoUSD
    }

    public var retentionBasisPoints: Int { ratio(retainedSpendNanoUSD, previousSpendNanoUSD) }
}

/// A provider's loyalty index: the mean of its period-to-period retention.
public struct LoyaltyIndex: Sendable, Hashable, Codable {
    public var provider: String
    public var periods: Int
    public var meanRetentionBasisPoints: Int

    public init(provider: String, periods: Int, meanRetentionBasisPoints: Int) {
        self.provider = provider
        self.periods = periods
        self.meanRetentionBasisPoints = meanRetentionBasisPoints
    }
}

/// Spend by one provider in one period.
public struct ProviderSpend: Sendable, Hashable, Codable {
    public var start: Date
    public var provider: String
    public var spendNanoUSD: Int64
    public var requests: Int

    public init(start: Date, provider: String, spendNanoUSD: Int64, requests: Int) {
        self.start = start
        self.provider = provider
        self.spendNanoUSD = spendNanoUSD
        self.requests = requests
    }
}

/// Concentration of spend in one period.
public struct ConcentrationPoint: Sendable, Hashable, Codable {
    public var start: Date
    /// Herfindahl–Hirschman index, 0–10,000.
    public var hhi: Int
    public var providers: Int

    public init(start: Date, hhi: Int, providers: Int) {
        self.start = start
        self.hhi = hhi
        self.providers = providers
    }
}

/// A switch and how long after the price event behind it it came: the event is the newer
/// of the new offer's price version and the old offer's latest version at the switch.
public struct SwitchEvent: Sendable, Hashable, Codable {
    public var streamKey: String
    public var at: Date
    public var from: OfferID?
    public var to: OfferID
    public var eventAt: Date?
    public var spendNanoUSD: Int64

    public init(streamKey: String, at: Date, from: OfferID?, to: OfferID, eventAt: Date?, spendNanoUSD: Int64) {
        self.streamKey = streamKey
        self.at = at
        self.from = from
        self.to = to
        self.eventAt = eventAt
        self.spendNanoUSD = spendNanoUSD
    }

    /// Seconds from the price event to the switch.
    public var lagSeconds: Int64? { eventAt.map { Int64(at.timeIntervalSince($0).rounded()) } }
}

/// What a stream spent, against what it would have spent staying with its first provider
/// (the design's definition): decisions that provider served at what they cost, the others
/// priced at the stream's first offer, its version in force at each decision (list input and
/// output prices; decisions when that offer had no known price are counted, not priced).
public struct LoyaltyCost: Sendable, Hashable, Codable {
    public var streamKey: String
    public var firstOffer: OfferID
    public var decisions: Int
    public var pricedDecisions: Int
    /// Actual spend over the priced decisions.
    public var actualNanoUSD: Int64
    public var loyalNanoUSD: Int64

    public init(streamKey: String, firstOffer: OfferID, decisions: Int, pricedDecisions: Int, actualNanoUSD: Int64, loyalNanoUSD: Int64) {
        self.streamKey = streamKey
        self.firstOffer = firstOffer
        self.decisions = decisions
        self.pricedDecisions = pricedDecisions
        self.actualNanoUSD = actualNanoUSD
        self.loyalNanoUSD = loyalNanoUSD
    }

    /// What loyalty would have cost on top of what was spent (negative: switching cost money).
    public var extraNanoUSD: Int64 { loyalNanoUSD - actualNanoUSD }
}

/// Traffic on one offer around a price event: before and after, and the switches it drew.
public struct EventTraffic: Sendable, Hashable, Codable {
    public var offer: OfferID
    public var at: Date
    public var requestsBefore: Int
    public var spendBeforeNanoUSD: Int64
    public var requestsAfter: Int
    public var spendAfterNanoUSD: Int64
    /// Provider switches into the offer in the window after the event.
    public var switchesIn: Int
    /// Streams the offer served in the window after the event but not in the window before
    /// (moved in from another provider or another model of the same provider), and when the first came.
    public var streamsIn: [String]
    public var firstArrivalAt: Date?

    public init(
        offer: OfferID, at: Date, requestsBefore: Int, spendBeforeNanoUSD: Int64, requestsAfter: Int, spendAfterNanoUSD: Int64,
        switchesIn: Int, streamsIn: [String], firstArrivalAt: Date?
    ) {
        self.offer = offer
        self.at = at
        self.requestsBefore = requestsBefore
        self.spendBeforeNanoUSD = spendBeforeNanoUSD
        self.requestsAfter = requestsAfter
        self.spendAfterNanoUSD = spendAfterNanoUSD
        self.switchesIn = switchesIn
        self.streamsIn = streamsIn
        self.firstArrivalAt = firstArrivalAt
    }
}

/// part / whole in basis points, 0 when the whole is 0.
func ratio(_ part: Int64, _ whole: Int64) -> Int {
    whole > 0 ? Int(Int128(part) * 10_000 / Int128(whole)) : 0
}
