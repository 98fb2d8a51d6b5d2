import BrokerCore
public import BrokerStore
import Foundation

/// One decision of the log (`tokenbroker decisions list|show`).
public struct DecisionView: Codable, Sendable, Equatable {
    public var id: String
    public var at: String
    public var tenant: String
    public var policy: String
    public var target: String
    public var provider: String?
    public var model: String?
    public var status: String
    public var expectedCostUSD: String?
    public var actualCostUSD: String?
    public var priceEffectiveAt: String?
    public var promptTokensEstimate: Int
    public var outputTokensEstimate: Int
    public var actualPromptTokens: Int?
    public var actualOutputTokens: Int?
    /// `provider/model=cost`, cheapest first.
    public var candidates: [String]
    public var exclusions: [String: Int]
    public var previousProvider: String?
    public var switched: Bool
    public var held: Bool
    public var attempts: [String]
    public var latencyMs: Int?

    public init(_ record: DecisionRecord) {
        id = record.id
        at = record.at.formatted(.iso8601)
        tenant = record.tenant
        policy = record.policy
        target = record.target
        provider = record.chosen?.provider
        model = record.chosen?.model
        status = record.status
        expectedCostUSD = record.expectedCost?.decimalString()
        actualCostUSD = record.actualCost?.decimalString()
        priceEffectiveAt = record.priceEffectiveAt?.formatted(.iso8601)
        promptTokensEstimate = record.promptTokensEstimate
        outputTokensEstimate = record.outputTokensEstimate
        actualPromptTokens = record.actualPromptTokens
        actualOutputTokens = record.actualOutputTokens
        candidates = record.candidates
        exclusions = record.exclusions
        previousProvider = record.previousProvider
        switched = record.switched
        held = record.heldByHysteresis
        attempts = record.attempts
        latencyMs = record.latencyMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case id, at, tenant, policy, target, provider, model, status, candidates, exclusions, switched, held, attempts
        case expectedCostUSD = "expected_cost_usd"
        case actualCostUSD = "actual_cost_usd"
        case priceEffectiveAt = "price_effective_at"
        case promptTokensEstimate = "prompt_tokens_estimate"
        case outputTokensEstimate = "output_tokens_estimate"
        case actualPromptTokens = "actual_prompt_tokens"
        case actualOutputTokens = "actual_output_tokens"
        case previousProvider = "previous_provider"
        case latencyMs = "latency_ms"
    }
}
