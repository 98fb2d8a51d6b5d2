import BrokerCore
import Foundation
import Testing

@testable import PriceFeeds

@Suite struct PriceHistoryImporterTests {
    let importer = PriceHistoryImporter()
    static let header =
        "observed_at,provider,model,input_usd_per_mtok,output_usd_per_mtok,source_commit,source_repo,"
        + "change_type,prev_input_usd_per_mtok,prev_output_usd_per_mtok,flags\n"

    func fixture() throws -> PriceImport {
        try importer.parse(contentsOf: Fixture.url("price_history_snippet.csv"))
    }

    @Test func fixtureRowsInFileOrder() throws {
        let result = try fixture()
        #expect(result.format == .history)
        #expect(result.source == "price_history_snippet.csv")
        #expect(result.offers.count == 10)
        #expect(result.skipped.isEmpty)
        #expect(result.offers.map(\.price.effectiveAt) == result.offers.map(\.price.effectiveAt).sorted())
        #expect(result.offers.filter { $0.change?.kind == .changed }.count == 5)
    }

    @Test func o3CutFrom10And40To2And8() throws {
        let rows = try fixture().offers.filter { $0.id == OfferID(provider: "openai", model: "o3") }
        try #require(rows.count == 2)
        #expect(rows[0].price.effectiveAt == day("2025-04-16"))
        #expect([rows[0].price.input, rows[0].price.output] == [mtok("10"), mtok("40")])
        #expect(rows[0].change == PriceChange(kind: .new))
        #expect(rows[1].price.effectiveAt == day("2025-06-11"))
        #expect([rows[1].price.input, rows[1].price.output] == [mtok("2"), mtok("8")])
        #expect(rows[1].change == PriceChange(kind: .changed, previousInput: mtok("10"), previousOutput: mtok("40")))
        #expect(rows[1].price.source == "litellm via RoCry/llm-api-price@563aa51bce6d")
        #expect(rows[1].price.cachedInput == .unknown)
        #expect(rows[1].model.id == "o3")
        #expect(rows[1].model.advertisedContext == 0)
    }

    @Test func flagsZeroPricesAndQuotedFields() throws {
        let result = try fixture()
        let gpt4 = try #require(result.offer("openai", "gpt-4"))
        #expect(gpt4.change?.flags == ["initial_snapshot"])
        #expect(gpt4.price.source == "litellm via AgentOps-AI/tokencost@5f7464ceae7c")

        let flash = result.offers.filter { $0.id.model == "gemini/gemini-2.0-flash" }
        #expect(flash.map(\.price.input) == [.free, mtok("0.1")])
        #expect(flash[1].change == PriceChange(kind: .changed, previousInput: .free, previousOutput: .free, flags: ["from_zero"]))

        let gemma = try #require(result.offer("groq", "groq/gemma-7b-it"))
        #expect(gemma.change?.flags == ["reverted_within_30d", "extreme_ratio_ge20x"])

        let quoted = try #require(result.offer("together_ai", #"together_ai/acme/"quoted", model"#))
        #expect(quoted.price.input == mtok("0.88"))
        #expect(quoted.price.output == .unknown)
    }

    @Test func versionsByOfferInDateOrder() throws {
        let versions = try fixture().versionsByOffer()
        #expect(versions.count == 7)
        let gpt4o = try #require(versions[OfferID(provider: "openai", model: "gpt-4o")])
        #expect(gpt4o.map(\.effectiveAt) == [day("2024-03-25"), day("2024-11-14")])
        #expect(gpt4o.map(\.input) == [mtok("5"), mtok("2.5")])
        #expect(versions[OfferID(provider: "anthropic", model: "claude-sonnet-5")]?.count == 1)
    }

    @Test func rowWithNoPriceIsSkipped() throws {
        let csv = Self.header + "2025-01-01,p,m,,,abc123,r/r,new,,,\n"
        let result = try importer.parse(bytes(csv), source: "h.csv")
        #expect(result.offers.isEmpty)
        #expect(result.skipped == ["no token price": 1])
    }

    // MARK: The real file

    @Test(.enabled(if: SharedData.isAvailable, "needs ../shared/data (not in a fresh clone)"))
    func sharedFile() throws {
        let result = try importer.parse(contentsOf: SharedData.url("price_history.csv"))
        #expect(result.offers.count == 1_476)
        #expect(result.skipped.isEmpty)
        #expect(result.offers.filter { $0.change?.kind == .new }.count == 1_319)
        #expect(result.offers.filter { $0.change?.kind == .changed }.count == 157)
        #expect(result.offers.filter { $0.change?.flags.isEmpty == true }.count == 1_325)
        #expect(result.offers.filter { $0.change?.flags.contains("initial_snapshot") == true }.count == 111)
        #expect(result.offers.filter { $0.change?.flags.contains("extreme_ratio_ge20x") == true }.count == 15)
        #expect(result.offers.first?.price.effectiveAt == day("2024-03-25"))
        #expect(result.offers.last?.price.effectiveAt == day("2026-07-24"))
        #expect(result.versionsByOffer().count == 1_319)

        let o3 = try #require(result.versionsByOffer()[OfferID(provider: "openai", model: "o3")])
        #expect(o3.map(\.effectiveAt) == [day("2025-04-16"), day("2025-06-11")])
        #expect(o3.map(\.input) == [mtok("10"), mtok("2")])
        #expect(o3.map(\.output) == [mtok("40"), mtok("8")])

        // Claude Sonnet 5's cut two days after launch, on every host at once.
        let sonnet5 = result.offers.filter {
            $0.price.effectiveAt == day("2026-07-03") && $0.id.model.contains("claude-sonnet-5")
        }
        #expect(sonnet5.count == 9)
        #expect(sonnet5.allSatisfy { $0.change?.kind == .changed })
        let direct = try #require(sonnet5.first { $0.id == OfferID(provider: "anthropic", model: "claude-sonnet-5") })
        #expect([direct.price.input, direct.price.output] == [mtok("2"), mtok("10")])
        #expect([direct.change?.previousInput, direct.change?.previousOutput] == [mtok("3"), mtok("15")])
        #expect(direct.price.source == "litellm via RoCry/llm-api-price@f6ae37812104")
        let regional = sonnet5.filter { $0.id.model.hasPrefix("us.") || $0.id.model.hasPrefix("eu.") }
        #expect(regional.count == 2)
        #expect(regional.allSatisfy { $0.price.input == mtok("2.2") && $0.price.output == mtok("11") })
    }

    // MARK: Errors: the message names the line (and column)

    @Test func wrongColumnCount() throws {
        let csv = Self.header + "2025-01-01,p,m,1,2,abc123,r/r,new,,,\n2025-01-02,p,m,1,2,abc123,r/r,new,,\n"
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes(csv), source: "h.csv") }
        #expect(error.description == "h.csv: line 3: expected 11 columns, found 10")
    }

    @Test func badDate() throws {
        for date in ["2025-02-30", "2025-13-01", "25-01-01", "2025-1-01", "yesterday", ""] {
            let csv = Self.header + "\(date),p,m,1,2,abc123,r/r,new,,,\n"
            let error = try #require(throws: ImportError.self) { try importer.parse(bytes(csv), source: "h.csv") }
            #expect(error.location == .csv(line: 2, column: "observed_at"), "\(date)")
        }
    }

    @Test func badNumber() throws {
        let csv = Self.header + "2025-01-01,p,m,1,2,abc123,r/r,new,,,\r\n2025-01-02,p,m,1.5x,2,abc123,r/r,changed,1,2,\r\n"
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes(csv), source: "h.csv") }
        #expect(error.description == #"h.csv: line 3, column input_usd_per_mtok: not a price in USD per Mtok: "1.5x""#)
    }

    @Test func otherBadFields() throws {
        let cases: [(String, String)] = [
            ("2025-01-01,p,m,-1,2,abc123,r/r,new,,,", "input_usd_per_mtok"),
            ("2025-01-01,p,m,1,2,abc123,r/r,new,oops,,", "prev_input_usd_per_mtok"),
            ("2025-01-01,p,m,1,2,abc123,r/r,removed,,,", "change_type"),
            ("2025-01-01,,m,1,2,abc123,r/r,new,,,", "provider"),
            ("2025-01-01,p,m,1,2,not-a-sha,r/r,new,,,", "source_commit"),
        ]
        for (row, column) in cases {
            let error = try #require(throws: ImportError.self) {
                try importer.parse(bytes(Self.header + row + "\n"), source: "h.csv")
            }
            #expect(error.location == .csv(line: 2, column: column), "\(row)")
        }
    }

    @Test func badHeader() throws {
        let csv = "observed_at,provider,model,input,output\n"
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes(csv), source: "h.csv") }
        #expect(error.description == #"h.csv: line 1: header column 4 should be input_usd_per_mtok, found "input""#)
    }

    @Test func emptyFile() throws {
        for text in ["", "\n\r\n"] {
            let error = try #require(throws: ImportError.self) { try importer.parse(bytes(text), source: "h.csv") }
            #expect(error.description == "h.csv: empty file")
        }
    }

    @Test func everyFormatHasAnImporter() throws {
        for format in PriceImportFormat.allCases {
            #expect(type(of: format.importer(effectiveAt: day("2026-01-01"))).format == format)
        }
    }

    @Test func headerOnlyIsAnEmptyImport() throws {
        let result = try importer.parse(bytes(Self.header), source: "h.csv")
        #expect(result.offers.isEmpty)
    }
}
