import BrokerCore
import Foundation
import Testing

@Suite struct PriceWarTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    /// A move of `offer` on day `day`, prices in whole USD per Mtok.
    static func move(
        _ offer: String, model: String? = nil, quality: Int?, day: Int, from: (Int64, Int64), to: (Int64, Int64), flags: Set<String> = []
    ) -> PriceMove {
        let id = OfferID(offer)!
        return PriceMove(
            offer: id, model: model ?? id.model, quality: quality, at: start.addingTimeInterval(Double(day) * Self.day),
            inputBefore: from.0 * 1_000_000_000, outputBefore: from.1 * 1_000_000_000, inputAfter: to.0 * 1_000_000_000,
            outputAfter: to.1 * 1_000_000_000, flags: flags)
    }

    @Test func anEightyPercentCutIsACutOfEightThousandBasisPoints() {
        let cut = Self.move("openai/o3", quality: 1434, day: 0, from: (10, 40), to: (2, 8))
        #expect(cut.kind == .cut)
        #expect(cut.depthBasisPoints == 8_000)
        // Blended 3:1 — input 3 → 1 with output 15 unchanged: (9+15 → 3+15) = 25% cheaper.
        let inputOnly = Self.move("x/m", quality: nil, day: 0, from: (3, 15), to: (1, 15))
        #expect(inputOnly.depthBasisPoints == 2_500)
        let raise = Self.move("x/m", quality: nil, day: 0, from: (1, 2), to: (2, 4))
        #expect(raise.kind == .raise)
        #expect(raise.depthBasisPoints == 10_000)
    }

    @Test func cutsInOneBandWithinTheWindowAreOneWarInOrderOfMoving() {
        let moves = [
            Self.move("b/m2", quality: 1_445, day: 10, from: (4, 8), to: (3, 6)),
            Self.move("a/m1", quality: 1_450, day: 0, from: (10, 40), to: (2, 8)),
            Self.move("c/m3", quality: 1_460, day: 45, from: (5, 5), to: (4, 4)),
            Self.move("d/m4", quality: 1_300, day: 5, from: (1, 1), to: (0, 0)),
        ]
        let report = PriceWarDetector().detect(moves)
        #expect(report.wars.map(\.band) == ["q1440+", "q1300-1349", "q1440+"])
        let first = report.wars[0]
        #expect(first.firstMover?.offer == OfferID("a/m1"))
        #expect(first.followers.map(\.offer) == [OfferID("b/m2")])
        #expect(first.deepestBasisPoints == 8_000)
        #expect(report.wars[2].moves.map(\.offer) == [OfferID("c/m3")])
        #expect(report.setAsideCount == 0)
    }

    @Test func aModelWithoutAScoreIsItsOwnBandAcrossItsHosts() {
        let moves = ["anthropic", "bedrock", "vertex_ai"].map {
            Self.move("\($0)/claude-sonnet-5", quality: nil, day: 0, from: (3, 15), to: (2, 10))
        }
        let report = PriceWarDetector().detect(moves + [Self.move("x/other", quality: nil, day: 1, from: (3, 15), to: (2, 10))])
        #expect(report.wars.count == 2)
        #expect(report.wars[0].band == "model:claude-sonnet-5")
        #expect(report.wars[0].providers == ["anthropic", "bedrock", "vertex_ai"])
    }

    @Test func flaggedMovesAreSetAsideAndCounted() {
        let moves = [
            Self.move("a/m", quality: 1_400, day: 0, from: (150, 600), to: (1, 1), flags: ["extreme_ratio_ge20x"]),
            Self.move("b/m", quality: 1_400, day: 1, from: (3, 3), to: (1, 1), flags: ["reverted_within_30d"]),
            Self.move("b/m", quality: 1_400, day: 9, from: (1, 1), to: (3, 3), flags: ["is_revert", "reverted_within_30d"]),
            Self.move("c/m", quality: 1_400, day: 2, from: (2, 2), to: (1, 1)),
        ]
        let report = PriceWarDetector().detect(moves)
        #expect(report.setAside == ["extreme_ratio_ge20x": 1, "reverted_within_30d": 1, "is_revert": 1])
        #expect(report.wars.flatMap(\.moves).map(\.offer) == [OfferID("c/m")])
        let everything = PriceWarDetector(setAsideFlags: []).detect(moves)
        #expect(everything.setAsideCount == 0)
        #expect(everything.wars.flatMap(\.moves).count == 3)
    }

    @Test func hhiIsTheSumOfSquaredPercentShares() {
        #expect(Concentration.hhi([]) == 0)
        #expect(Concentration.hhi([100]) == 10_000)
        #expect(Concentration.hhi([50, 50]) == 5_000)
        #expect(Concentration.hhi([1, 1, 1, 1]) == 2_500)
        // (2/3)² + (1/3)² = 5/9 → 5,555.6, rounded half up.
        #expect(Concentration.hhi([2_000_000, 1_000_000, 0]) == 5_556)
        #expect(Concentration.reading(5_556) == "high")
    }

    @Test func qualityBandsFollowThePolicyFloors() {
        #expect(QualityBands().band(quality: 1_399, model: "x") == "q1350-1399")
        #expect(QualityBands().band(quality: 1_200, model: "x") == "q<1300")
    }
}
