import BrokerCore
import Foundation
import PriceFeeds
import Testing

@Suite struct HistoryMarketTests {
    @Test func identitiesReduceKeysToHostAndModel() {
        #expect(HistoryIdentity.model("us.anthropic.claude-sonnet-5") == "claude-sonnet-5")
        #expect(HistoryIdentity.model("vertex_ai/claude-sonnet-5@default") == "claude-sonnet-5")
        #expect(HistoryIdentity.model("anthropic.claude-3-5-sonnet-20241022-v2:0") == "claude-3-5-sonnet")
        #expect(HistoryIdentity.model("o3-2025-04-16") == "o3")
        #expect(HistoryIdentity.model("chatgpt-4o-latest-20250326") == "chatgpt-4o")
        #expect(HistoryIdentity.model("mistral/mistral-large-latest") == "mistral-large")
        #expect(HistoryIdentity.model("gpt-4o-mini") == "gpt-4o-mini")
        #expect(HistoryIdentity.host("bedrock_converse") == "bedrock")
        #expect(HistoryIdentity.host("vertex_ai-anthropic_models") == "vertex_ai")
        #expect(HistoryIdentity.host("fireworks_ai") == "fireworks")
        // The global and plain keys speak for an offer before regional copies and pinned dates.
        let keys = ["us.anthropic.claude-sonnet-5", "anthropic.claude-sonnet-5", "global.anthropic.claude-sonnet-5"]
        #expect(keys.min { HistoryIdentity.decoration($0) < HistoryIdentity.decoration($1) } == "anthropic.claude-sonnet-5")
        #expect(HistoryIdentity.decoration("o3") < HistoryIdentity.decoration("o3-2025-04-16"))
    }

    @Test func hostKeysBecomeOneOfferAndZeroPricesAreNotRoutable() throws {
        let csv = """
            observed_at,provider,model,input_usd_per_mtok,output_usd_per_mtok,source_commit,source_repo,change_type,prev_input_usd_per_mtok,prev_output_usd_per_mtok,flags
            2026-07-01,bedrock_converse,us.anthropic.claude-sonnet-5,3.3,16.5,ab,r,new,,,
            2026-07-01,bedrock_converse,anthropic.claude-sonnet-5,3,15,ab,r,new,,,
            2026-07-03,bedrock_converse,us.anthropic.claude-sonnet-5,2.2,11,cd,r,changed,3.3,16.5,
            2026-07-03,bedrock_converse,anthropic.claude-sonnet-5,2,10,cd,r,changed,3,15,
            2026-07-01,gemini,gemini/free-preview,0,0,ab,r,new,,,
            2026-07-05,gemini,gemini/free-preview,1,2,ef,r,changed,0,0,from_zero

            """
        let history = try PriceHistoryImporter().parse(Data(csv.utf8), source: "test.csv")
        let market = HistoryMarket(history: history, catalogue: Catalogue(), arena: ArenaRatings(ratings: ["free-preview": 1_300]))
        let sonnet = OfferID(provider: "bedrock", model: "claude-sonnet-5")
        #expect(market.keys[sonnet] == ["bedrock_converse/anthropic.claude-sonnet-5", "bedrock_converse/us.anthropic.claude-sonnet-5"])
        #expect(market.timeline.versions[sonnet]?.map(\.input.usdPerMtokString) == ["3", "2"])
        let preview = OfferID(provider: "gemini", model: "free-preview")
        #expect(market.timeline.versions[preview]?.map(\.input) == [.unknown, .perMtok(TokenPrice(usdPerMtok: "1")!)])
        #expect(market.timeline.models.first { $0.id == "free-preview" }?.quality?.score == 1_300)
        let wars = market.priceWars()
        #expect(wars.wars.map(\.band) == ["model:claude-sonnet-5"])
        #expect(wars.wars.first?.moves.first?.depthBasisPoints == 3_333)
    }

    static func realMarket() throws -> HistoryMarket {
        let history = try PriceHistoryImporter().parse(contentsOf: SharedData.url("price_history.csv"))
        let catalogue = try ProviderCatalogueLoader.load(
            directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Providers"))
        let arena = try ArenaRatings(
            data: try Data(contentsOf: SharedData.url("leaderboard-text-style-control.json")), file: "leaderboard-text-style-control.json")
        return HistoryMarket(history: history, catalogue: catalogue, arena: arena)
    }

    @Test(.enabled(if: SharedData.isAvailable, "needs ../shared/data (absent in a fresh clone)"))
    func theRealHistoryHasTheO3CutAndTheSonnet5WarAcrossThreeHosts() throws {
        let market = try Self.realMarket()
        let report = market.priceWars()
        let o3 = try #require(report.cuts.first { $0.offer == OfferID(provider: "openai", model: "o3") })
        #expect(UTCDayText.format(o3.at) == "2025-06-11")
        #expect([o3.inputBefore, o3.outputBefore, o3.inputAfter, o3.outputAfter] == [10, 40, 2, 8].map { $0 * 1_000_000_000 })
        #expect(o3.depthBasisPoints == 8_000)
        #expect(o3.quality == 1_434)
        let sonnet = try #require(report.wars.first { $0.band == "model:claude-sonnet-5" })
        #expect(UTCDayText.format(sonnet.start) == "2026-07-03")
        #expect(sonnet.providers == ["anthropic", "bedrock", "vertex_ai"])
        #expect(sonnet.moves.allSatisfy { $0.depthBasisPoints == 3_333 })
        // The data's own artefacts are set aside, not reported as wars.
        #expect((report.setAside["extreme_ratio_ge20x"] ?? 0) > 0)
        #expect((report.setAside["reverted_within_30d"] ?? 0) > 0)
        #expect(!report.wars.flatMap(\.moves).contains { !$0.flags.isDisjoint(with: PriceWarDetector.artefactFlags) })
        let everything = market.priceWars(keepFlagged: true)
        #expect(everything.moves.count == report.moves.count + report.setAsideCount)
    }
}

enum UTCDayText {
    static func format(_ date: Date) -> String { String(ISO8601DateFormatter().string(from: date).prefix(10)) }
}
