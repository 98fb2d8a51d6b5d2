public import struct Foundation.Date

/// One routing outcome: the chosen offer, the ranked fallbacks and why other offers were
/// left out — enough to explain the choice. The router returns it; callers log and store it.
public struct Decision: Sendable, Hashable {
    public var policy: String
    public var target: RoutingTarget
    public var mix: TokenMix
    /// Adequate offers in the order to try them: the chosen one first, then the fallbacks by
    /// expected cost. In ``RoutingDetail/decision`` mode only the cheapest few are kept.
    public var ranked: [Candidate]
    /// Offers left out, each with the first reason found. In ``RoutingDetail/decision`` mode
    /// these are the offers that could have been cheaper than the last ranked candidate; in
    /// ``RoutingDetail/explain`` mode, every offer in the catalogue.
    public var excluded: [Exclusion]
    /// Exclusions found but not kept in ``excluded`` (decision mode keeps the cheapest 32),
    /// counted by reason kind.
    public var unrecordedExclusions: [String: Int]
    public var hysteresis: HysteresisOutcome
    public var decidedAt: Date

    public var chosen: Candidate? { ranked.first }
    public var fallbacks: ArraySlice<Candidate> { ranked.dropFirst() }

    /// Every exclusion found, kept or not, counted by reason kind, e.g.
    /// `["capability": 12, "unknown_price": 3]`.
    public var exclusionCounts: [String: Int] {
        excluded.reduce(into: unrecordedExclusions) { $0[$1.reason.kind, default: 0] += 1 }
    }
}

/// An adequate offer with its expected cost for this request.
public struct Candidate: Sendable, Hashable {
    public var offer: OfferID
    public var cost: CostEstimate
    public var quality: Int?
    /// When the price version used took effect.
    public var priceEffectiveAt: Date

    public var expectedCost: Money { cost.effective }
}

/// An offer that was not adequate for the request, and why.
public struct Exclusion: Sendable, Hashable {
    public var offer: OfferID
    public var reason: ExclusionReason
}

/// Why an offer cannot serve a request. The first reason found is recorded, in this order.
public enum ExclusionReason: Sendable, Hashable, CustomStringConvertible {
    case notRequested
    case disabled
    case providerNotAllowed
    case regionNotAllowed(region: String)
    case circuitOpen
    case dataClass(required: DataClass, allowed: DataClass)
    case quality(required: Int, actual: Int?)
    case capability(missing: Capabilities)
    case context(needed: Int, effective: Int)
    case outputLimit(requested: Int, limit: Int)
    case unknownPrice
    case overBudget(expected: Money, limit: Money)

    /// A stable short name for logs, SQL and JSON.
    public var kind: String {
        switch self {
        case .disabled: "disabled"
        case .circuitOpen: "circuit_open"
        case .providerNotAllowed: "provider_not_allowed"
        case .regionNotAllowed: "region_not_allowed"
        case .notRequested: "not_requested"
        case .dataClass: "data_class"
        case .quality: "quality"
        case .capability: "capability"
        case .context: "context"
        case .outputLimit: "output_limit"
        case .unknownPrice: "unknown_price"
        case .overBudget: "over_budget"
        }
    }

    public var description: String {
        switch self {
        case .disabled: "disabled"
        case .circuitOpen: "circuit open after upstream failures"
        case .providerNotAllowed: "provider not allowed by the policy"
        case .regionNotAllowed(let region): "region \(region) not allowed by the policy"
        case .notRequested: "not the model or offer requested"
        case .dataClass(let required, let allowed):
            "data class \(required.rawValue) required, provider takes at most \(allowed.rawValue)"
        case .quality(let required, let actual?): "quality \(actual) below the floor \(required)"
        case .quality(let required, nil): "no quality score, floor is \(required)"
        case .capability(let missing): "lacks \(missing.names.joined(separator: ", "))"
        case .context(let needed, let effective): "needs \(needed) tokens of context, effective context is \(effective)"
        case .outputLimit(let requested, let limit): "max output \(requested) tokens over the limit \(limit)"
        case .unknownPrice: "price unknown"
        case .overBudget(let expected, let limit):
            "expected cost \(expected.decimalString()) USD over the limit \(limit.decimalString()) USD"
        }
    }
}

/// What the switching threshold did to this decision.
public enum HysteresisOutcome: Sendable, Hashable {
    /// No previous provider for the stream, or it is the cheapest anyway.
    case none
    /// The stream stayed with `previous` although `cheaper` was cheaper, by less than the threshold.
    case held(previous: String, cheaper: OfferID, savingBasisPoints: Int)
    /// The stream left `previous`, whose best offer was dearer by more than the threshold
    /// (or no longer adequate).
    case switched(from: String)
}
