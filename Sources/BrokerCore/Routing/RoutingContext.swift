public import struct Foundation.Date

/// The moment-to-moment state a decision depends on besides the catalogue. Time is passed
/// in; the router never reads a clock.
public struct RoutingContext: Sendable {
    public var now: Date
    /// The provider that served this stream's previous decision, for hysteresis.
    public var previousProvider: String?
    /// Prepaid credit left per provider (only usable, unexpired credit belongs here).
    public var credits: [String: Money]
    /// Offers whose circuit breaker is open.
    public var openCircuits: Set<OfferID>
    /// Providers taken out of routing at run time (disabled or draining).
    public var disabledProviders: Set<String>

    public init(
        now: Date, previousProvider: String? = nil, credits: [String: Money] = [:],
        openCircuits: Set<OfferID> = [], disabledProviders: Set<String> = []
    ) {
        self.now = now
        self.previousProvider = previousProvider
        self.credits = credits
        self.openCircuits = openCircuits
        self.disabledProviders = disabledProviders
    }

    /// Usable credit per provider at `now`.
    public static func credits(_ credits: [Credit], at now: Date) -> [String: Money] {
        credits.filter { $0.isUsable(at: now) }.reduce(into: [:]) { $0[$1.provider, default: .zero] += $1.remaining }
    }
}

/// How much a decision records.
public enum RoutingDetail: Sendable {
    /// The request hot path: the cheapest `keep` candidates, and the exclusions among offers
    /// that could have been cheaper than them.
    case decision(keep: Int)
    /// A dry run for people: every offer ranked or excluded.
    case explain

    public static let decision = RoutingDetail.decision(keep: 5)
}
