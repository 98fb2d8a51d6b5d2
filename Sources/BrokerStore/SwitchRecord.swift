public import BrokerCore
public import struct Foundation.Date

/// One switch as `tokenbroker switches` lists it: the decision whose provider differs from
/// the stream's previous decision, what the previous offer would have cost on the same
/// request, and the price event behind it.
public struct SwitchRecord: Sendable, Hashable {
    public var decisionID: String
    public var at: Date
    public var tenant: String
    public var policy: String
    /// The offer of the stream's previous decision (nil when that decision is not in the log).
    public var from: OfferID?
    public var to: OfferID
    /// What the new offer was expected to cost on this request.
    public var expectedCost: Money?
    /// What the previous offer was expected to cost on this request, when it was still a candidate.
    public var previousOfferCost: Money?
    /// The newer of the new offer's price version and the old offer's latest version at the switch.
    public var priceEventAt: Date?

    public init(
        decisionID: String, at: Date, tenant: String, policy: String, from: OfferID?, to: OfferID, expectedCost: Money?,
        previousOfferCost: Money?, priceEventAt: Date?
    ) {
        self.decisionID = decisionID
        self.at = at
        self.tenant = tenant
        self.policy = policy
        self.from = from
        self.to = to
        self.expectedCost = expectedCost
        self.previousOfferCost = previousOfferCost
        self.priceEventAt = priceEventAt
    }

    /// What the switch saved on this request (negative: the new offer costs more).
    public var saving: Money? {
        guard let previousOfferCost, let expectedCost else { return nil }
        return previousOfferCost - expectedCost
    }
}

/// Totals over the decision log for `tokenbroker status`.
public struct DecisionTotals: Sendable, Hashable {
    public var decisions: Int
    public var switches: Int
    public var spend: Money

    public init(decisions: Int, switches: Int, spend: Money) {
        self.decisions = decisions
        self.switches = switches
        self.spend = spend
    }
}
