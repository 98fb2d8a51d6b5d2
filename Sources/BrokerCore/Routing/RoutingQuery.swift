/// What the `model` field asked for, resolved against the catalogue.
public enum RoutingTarget: Sendable, Hashable, CustomStringConvertible {
    /// A policy: any adequate offer.
    case policy(String)
    /// A model id: offers of models at least as good with the same capabilities; only the
    /// model's own offers when it has no quality score to compare.
    case model(String)
    /// `provider/model`: exactly that offer.
    case offer(OfferID)

    public var description: String {
        switch self {
        case .policy(let name): name
        case .model(let id): id
        case .offer(let id): id.description
        }
    }
}

/// Per-request knobs a client may send on top of its policy (the `x-tokenbroker-*` headers).
public struct RequestOverrides: Sendable, Hashable {
    public var minQuality: Int?
    public var dataClass: DataClass?
    public var maxCost: Money?

    public init(minQuality: Int? = nil, dataClass: DataClass? = nil, maxCost: Money? = nil) {
        self.minQuality = minQuality
        self.dataClass = dataClass
        self.maxCost = maxCost
    }
}

/// Everything the router checks, merged from the policy, the request and the overrides.
/// Overrides and requests can only tighten a policy, never loosen it.
public struct RoutingQuery: Sendable, Hashable {
    public var policy: Policy
    public var target: RoutingTarget
    public var capabilities: Capabilities
    public var minQuality: Int?
    public var dataClass: DataClass
    public var maxCost: Money?
    public var mix: TokenMix
    /// Output tokens that must fit the context and the offer's output limit.
    public var reservedOutputTokens: Int
    public var requestedMaxOutput: Int?

    public init(policy: Policy, target: RoutingTarget, profile: RequestProfile, overrides: RequestOverrides = .init()) {
        self.policy = policy
        self.target = target
        self.capabilities = policy.requiredCapabilities.union(profile.capabilities)
        self.minQuality = [policy.minQuality, overrides.minQuality].compactMap { $0 }.max()
        self.dataClass = max(policy.dataClass, overrides.dataClass ?? policy.dataClass)
        self.maxCost = [policy.maxCostPerRequest, overrides.maxCost].compactMap { $0 }.min()
        let expectedOutput = min(profile.maxOutputTokens ?? Int.max, max(1, policy.expectedOutputTokens))
        let prompt = max(0, profile.estimatedPromptTokens)
        let cached = Int(Int128(prompt) * Int128(max(0, min(10_000, policy.cachedPromptBasisPoints))) / 10_000)
        self.mix = TokenMix(promptTokens: prompt, cachedPromptTokens: cached, outputTokens: expectedOutput)
        self.reservedOutputTokens = profile.maxOutputTokens ?? expectedOutput
        self.requestedMaxOutput = profile.maxOutputTokens
    }

    /// Context the request needs: prompt plus the output it may produce.
    public var neededContext: Int {
        let (sum, overflow) = mix.promptTokens.addingReportingOverflow(reservedOutputTokens)
        return overflow ? Int.max : sum
    }
}
