public import BrokerStore
import BrokerCore
import Foundation

/// One switch (`tokenbroker switches`): the contract's `at, tenant, policy, from_*, to_*,
/// decision`, plus the price difference and the price event that caused it.
public struct SwitchRow: Codable, Sendable, Equatable {
    public var at: String
    public var tenant: String
    public var policy: String
    public var fromProvider: String?
    public var fromModel: String?
    public var toProvider: String
    public var toModel: String
    public var decision: String
    public var expectedCostUSD: String?
    /// What the previous offer was expected to cost on the same request (absent when it was no longer a candidate).
    public var previousOfferCostUSD: String?
    public var savingUSD: String?
    public var priceEventAt: String?

    public init(_ record: SwitchRecord) {
        at = record.at.formatted(.iso8601)
        tenant = record.tenant
        policy = record.policy
        fromProvider = record.from?.provider
        fromModel = record.from?.model
        toProvider = record.to.provider
        toModel = record.to.model
        decision = record.decisionID
        expectedCostUSD = record.expectedCost?.decimalString()
        previousOfferCostUSD = record.previousOfferCost?.decimalString()
        savingUSD = record.saving?.decimalString()
        priceEventAt = record.priceEventAt?.formatted(.iso8601)
    }

    enum CodingKeys: String, CodingKey {
        case at, tenant, policy, decision
        case fromProvider = "from_provider"
        case fromModel = "from_model"
        case toProvider = "to_provider"
        case toModel = "to_model"
        case expectedCostUSD = "expected_cost_usd"
        case previousOfferCostUSD = "previous_offer_cost_usd"
        case savingUSD = "saving_usd"
        case priceEventAt = "price_event_at"
    }
}

/// One period of `tokenbroker churn`.
public struct ChurnRow: Codable, Sendable, Equatable {
    public var start: String
    public var spendUSD: String
    public var churnedSpendUSD: String
    public var spendChurnPercent: String
    public var requests: Int
    public var churnedRequests: Int
    public var requestChurnPercent: String

    public init(_ point: ChurnPoint) {
        start = point.start.formatted(.iso8601)
        spendUSD = Money(nanoUSD: point.spendNanoUSD).decimalString()
        churnedSpendUSD = Money(nanoUSD: point.churnedSpendNanoUSD).decimalString()
        spendChurnPercent = Percent.string(basisPoints: point.spendChurnBasisPoints)
        requests = point.requests
        churnedRequests = point.churnedRequests
        requestChurnPercent = Percent.string(basisPoints: point.requestChurnBasisPoints)
    }

    enum CodingKeys: String, CodingKey {
        case start, requests
        case spendUSD = "spend_usd"
        case churnedSpendUSD = "churned_spend_usd"
        case spendChurnPercent = "spend_churn_percent"
        case churnedRequests = "churned_requests"
        case requestChurnPercent = "request_churn_percent"
    }
}

/// One provider of `tokenbroker loyalty`: its loyalty index (mean period-to-period retention).
public struct LoyaltyRow: Codable, Sendable, Equatable {
    public var provider: String
    public var periods: Int
    public var loyaltyPercent: String

    public init(_ index: LoyaltyIndex) {
        provider = index.provider
        periods = index.periods
        loyaltyPercent = Percent.string(basisPoints: index.meanRetentionBasisPoints)
    }

    enum CodingKeys: String, CodingKey {
        case provider, periods
        case loyaltyPercent = "loyalty_percent"
    }
}

/// One period of `tokenbroker concentration`: the HHI of spend by provider and the largest share.
public struct ConcentrationRow: Codable, Sendable, Equatable {
    public var start: String
    public var hhi: Int
    public var providers: Int
    public var spendUSD: String
    public var topProvider: String?
    public var topSharePercent: String?

    public init(_ point: ConcentrationPoint, spends: [ProviderSpend]) {
        start = point.start.formatted(.iso8601)
        hhi = point.hhi
        providers = point.providers
        let total = spends.map(\.spendNanoUSD).reduce(0, +)
        spendUSD = Money(nanoUSD: total).decimalString()
        let top = spends.max { ($0.spendNanoUSD, $1.provider) < ($1.spendNanoUSD, $0.provider) }
        topProvider = top?.provider
        topSharePercent = top.flatMap { top in
            total > 0 ? Percent.string(basisPoints: Int(Int128(top.spendNanoUSD) * 10_000 / Int128(total))) : nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case start, hhi, providers
        case spendUSD = "spend_usd"
        case topProvider = "top_provider"
        case topSharePercent = "top_share_percent"
    }
}

/// Basis points as a percentage with two places: 1234 → "12.34".
public enum Percent {
    public static func string(basisPoints: Int) -> String {
        let sign = basisPoints < 0 ? "-" : ""
        let magnitude = abs(basisPoints)
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
