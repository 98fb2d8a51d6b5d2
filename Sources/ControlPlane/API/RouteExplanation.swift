public import BrokerCore

/// `tokenbroker route explain --json`: the decision as the CLI's JSON contract (`docs/cli.md`).
/// Costs are decimal strings of USD; JSON numbers would be doubles to most readers.
public struct RouteExplanation: Codable, Sendable, Equatable {
    public struct Offer: Codable, Sendable, Equatable {
        public var provider: String
        public var model: String
        public var expectedCostUSD: String
        public var listCostUSD: String
        public var quality: Int?
        public var priceEffectiveAt: String

        enum CodingKeys: String, CodingKey {
            case provider, model, quality
            case expectedCostUSD = "expected_cost_usd"
            case listCostUSD = "list_cost_usd"
            case priceEffectiveAt = "price_effective_at"
        }
    }

    public struct Excluded: Codable, Sendable, Equatable {
        public var provider: String
        public var model: String
        public var reason: String
        public var detail: String
    }

    public var policy: String
    public var target: String
    public var promptTokens: Int
    public var expectedOutputTokens: Int
    public var chosen: Offer?
    public var candidates: [Offer]
    public var excluded: [Excluded]
    public var hysteresis: String

    enum CodingKeys: String, CodingKey {
        case policy, target, chosen, candidates, excluded, hysteresis
        case promptTokens = "prompt_tokens"
        case expectedOutputTokens = "expected_output_tokens"
    }

    public init(_ decision: Decision) {
        func offer(_ candidate: Candidate) -> Offer {
            Offer(
                provider: candidate.offer.provider, model: candidate.offer.model,
                expectedCostUSD: candidate.expectedCost.decimalString(), listCostUSD: candidate.cost.list.decimalString(),
                quality: candidate.quality, priceEffectiveAt: candidate.priceEffectiveAt.formatted(.iso8601))
        }
        policy = decision.policy
        target = decision.target.description
        promptTokens = decision.mix.promptTokens
        expectedOutputTokens = decision.mix.outputTokens
        chosen = decision.chosen.map(offer)
        candidates = decision.ranked.map(offer)
        excluded = decision.excluded.map {
            Excluded(provider: $0.offer.provider, model: $0.offer.model, reason: $0.reason.kind, detail: $0.reason.description)
        }
        hysteresis =
            switch decision.hysteresis {
            case .none: "none"
            case .held(let previous, let cheaper, let saving):
                "held with \(previous): \(cheaper) was \(Double(saving) / 100)% cheaper, below the switching threshold"
            case .switched(let from): "switched from \(from)"
            }
    }
}

import Foundation
