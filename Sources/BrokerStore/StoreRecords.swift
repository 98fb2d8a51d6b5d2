public import BrokerCore
public import struct Foundation.Date

/// A price version as stored: the offer it belongs to, its row id, and when it was recorded.
public struct PriceHistoryEntry: Sendable, Hashable {
    public var id: Int64
    public var offer: OfferID
    public var version: PriceVersion
    public var recordedAt: Date

    public init(id: Int64, offer: OfferID, version: PriceVersion, recordedAt: Date) {
        self.id = id
        self.offer = offer
        self.version = version
        self.recordedAt = recordedAt
    }
}

/// Which price versions to list, newest last.
public struct PriceHistoryFilter: Sendable, Hashable {
    public var offer: OfferID?
    public var model: String?
    public var since: Date?

    public init(offer: OfferID? = nil, model: String? = nil, since: Date? = nil) {
        self.offer = offer
        self.model = model
        self.since = since
    }
}

/// What loading the catalogue into the store changed.
public struct SyncReport: Sendable, Hashable {
    public var providers = 0
    public var models = 0
    public var offers = 0
    public var policies = 0
    /// Price versions appended because a price really changed (or was new).
    public var priceVersionsAppended = 0
    public var priceVersionsUnchanged = 0

    public init() {}
}

/// Offers, models and dated price versions from an importer, written in one transaction.
/// A version is appended only where it changes the price in force at its date.
public struct PriceBatch: Sendable {
    /// Added only where the store has no model of that id: imported metadata never
    /// overwrites the curated catalogue's quality scores and contexts.
    public var models: [Model]
    /// Added only where the store has no such offer.
    public var offers: [Offer]
    public var versions: [(offer: OfferID, version: PriceVersion)]

    public init(models: [Model], offers: [Offer], versions: [(offer: OfferID, version: PriceVersion)]) {
        self.models = models
        self.offers = offers
        self.versions = versions
    }
}

public struct ImportReport: Sendable, Hashable {
    public var modelsAdded = 0
    public var offersAdded = 0
    public var priceVersionsAppended = 0
    /// Versions whose prices equal the version already in force at their date: a snapshot
    /// that repeats known prices, or a file imported twice, appends nothing.
    public var priceVersionsUnchanged = 0

    public init() {}
}

/// A tenant's API key as stored: the key itself is never kept, only its SHA-256.
public struct APIKeyRecord: Sendable, Hashable {
    public var id: String
    public var tenant: String
    public var keyHash: String
    public var budget: Money?
    public var budgetPeriod: BudgetPeriod?
    public var policy: String?
    public var createdAt: Date
    public var revokedAt: Date?

    public init(
        id: String, tenant: String, keyHash: String, budget: Money? = nil, budgetPeriod: BudgetPeriod? = nil,
        policy: String? = nil, createdAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.keyHash = keyHash
        self.budget = budget
        self.budgetPeriod = budgetPeriod
        self.policy = policy
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

public enum BudgetPeriod: String, Sendable, Hashable, CaseIterable {
    case day
    case month
}

/// One routed request as the decision log keeps it: the router's ``Decision`` plus what
/// happened when it was carried out. Enough for every switching measure in the design.
public struct DecisionRecord: Sendable, Hashable {
    public var id: String
    public var at: Date
    public var tenant: String
    public var policy: String
    /// `tenant/policy`: the sequence whose provider changes are switches.
    public var streamKey: String
    public var target: String
    public var chosen: OfferID?
    public var expectedCost: Money?
    /// When the price version used took effect (with `chosen`, identifies it).
    public var priceEffectiveAt: Date?
    public var promptTokensEstimate: Int
    public var outputTokensEstimate: Int
    /// The top candidates, cheapest first: `provider/model=cost`.
    public var candidates: [String]
    /// Exclusions counted by reason kind.
    public var exclusions: [String: Int]
    public var previousProvider: String?
    public var switched: Bool
    public var heldByHysteresis: Bool
    /// Offers tried in order, with their outcome, e.g. `beta/x:503`, `gamma/x:ok`.
    public var attempts: [String]
    public var status: String
    public var actualPromptTokens: Int?
    public var actualOutputTokens: Int?
    public var actualCost: Money?
    public var latencyMilliseconds: Int?

    public init(
        id: String, at: Date, tenant: String, policy: String, streamKey: String? = nil, target: String,
        chosen: OfferID?, expectedCost: Money?, priceEffectiveAt: Date?, promptTokensEstimate: Int,
        outputTokensEstimate: Int, candidates: [String] = [], exclusions: [String: Int] = [:],
        previousProvider: String? = nil, switched: Bool = false, heldByHysteresis: Bool = false,
        attempts: [String] = [], status: String = "routed", actualPromptTokens: Int? = nil,
        actualOutputTokens: Int? = nil, actualCost: Money? = nil, latencyMilliseconds: Int? = nil
    ) {
        self.id = id
        self.at = at
        self.tenant = tenant
        self.policy = policy
        self.streamKey = streamKey ?? "\(tenant)/\(policy)"
        self.target = target
        self.chosen = chosen
        self.expectedCost = expectedCost
        self.priceEffectiveAt = priceEffectiveAt
        self.promptTokensEstimate = promptTokensEstimate
        self.outputTokensEstimate = outputTokensEstimate
        self.candidates = candidates
        self.exclusions = exclusions
        self.previousProvider = previousProvider
        self.switched = switched
        self.heldByHysteresis = heldByHysteresis
        self.attempts = attempts
        self.status = status
        self.actualPromptTokens = actualPromptTokens
        self.actualOutputTokens = actualOutputTokens
        self.actualCost = actualCost
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// A record of a router decision, before the request is carried out.
    public init(id: String, tenant: String, decision: Decision, previousProvider: String?) {
        let chosen = decision.chosen
        let switched = previousProvider != nil && chosen != nil && chosen?.offer.provider != previousProvider
        var held = false
        if case .held = decision.hysteresis { held = true }
        self.init(
            id: id, at: decision.decidedAt, tenant: tenant, policy: decision.policy, target: decision.target.description,
            chosen: chosen?.offer, expectedCost: chosen?.expectedCost, priceEffectiveAt: chosen?.priceEffectiveAt,
            promptTokensEstimate: decision.mix.promptTokens, outputTokensEstimate: decision.mix.outputTokens,
            candidates: decision.ranked.map { "\($0.offer)=\($0.expectedCost.decimalString())" },
            exclusions: decision.exclusionCounts, previousProvider: previousProvider, switched: switched,
            heldByHysteresis: held, status: chosen == nil ? "no_adequate_offer" : "routed")
    }

    /// What the request cost: actual when usage is known, else expected.
    public var spend: Money { actualCost ?? expectedCost ?? .zero }
}

/// Which decisions to list, newest first.
public struct DecisionFilter: Sendable, Hashable {
    public var since: Date?
    public var tenant: String?
    public var policy: String?
    public var limit: Int

    public init(since: Date? = nil, tenant: String? = nil, policy: String? = nil, limit: Int = 100) {
        self.since = since
        self.tenant = tenant
        self.policy = policy
        self.limit = limit
    }
}
