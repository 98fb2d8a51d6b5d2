import ControlPlane
import Foundation
import Testing

@Suite struct RouteExplainCommandTests {
    @Test func explainsTheCheapestAdequateOfferAsJSON() throws {
        let result = try CLIProcess.run([
            "route", "explain", "--offline", "--policy", "frontier", "--tools", "--prompt-tokens", "3000", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let explanation = try JSONDecoder().decode(RouteExplanation.self, from: Data(result.stdout.utf8))
        let chosen = try #require(explanation.chosen)
        #expect(explanation.policy == "frontier")
        #expect(explanation.candidates.first == chosen)
        #expect((chosen.quality ?? 0) >= 1440)
        // Candidates are cheapest first, and every offer is either a candidate or excluded with a reason.
        let costs = explanation.candidates.map { Decimal(string: $0.expectedCostUSD)! }
        #expect(costs == costs.sorted())
        #expect(explanation.excluded.allSatisfy { !$0.reason.isEmpty && !$0.detail.isEmpty })
        #expect(explanation.excluded.contains { $0.reason == "quality" })
    }

    /// `--at` before the provider files' prices took effect finds no price, with or without
    /// `--db` (without one, the files' prices were used whatever `--at` said).
    @Test func offlineAtPricesAsOfThatTimeWithoutADatabase() throws {
        let before = try CLIProcess.run(["route", "explain", "--offline", "--at", "2020-01-01", "--model", "openai/gpt-4.1", "--json"])
        let explanation = try JSONDecoder().decode(RouteExplanation.self, from: Data(before.stdout.utf8))
        #expect(explanation.chosen == nil)
        #expect(explanation.excluded.contains { $0.provider == "openai" && $0.model == "gpt-4.1" && $0.reason == "unknown_price" })
        let now = try CLIProcess.run(["route", "explain", "--offline", "--model", "openai/gpt-4.1", "--json"])
        #expect(try JSONDecoder().decode(RouteExplanation.self, from: Data(now.stdout.utf8)).chosen?.model == "gpt-4.1")
    }

    @Test func theJSONContractHasTheDocumentedKeys() throws {
        let result = try CLIProcess.run(["route", "explain", "--offline", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let chosen = try #require(object["chosen"] as? [String: Any])
        #expect(chosen["provider"] is String && chosen["model"] is String && chosen["expected_cost_usd"] is String)
        let candidates = try #require(object["candidates"] as? [[String: Any]])
        #expect(candidates.allSatisfy { $0["expected_cost_usd"] is String })
        #expect(object["excluded"] is [[String: Any]])
    }

    @Test func theTableNamesTheChoiceAndTheExclusions() throws {
        let result = try CLIProcess.run([
            "route", "explain", "--offline", "--data-class", "restricted", "--prompt-tokens", "2000", "--limit", "3",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("chosen: local-vllm/"))
        #expect(result.stdout.contains("data class restricted required"))
        #expect(result.stdout.contains("more (--limit, --json)"))
    }

    @Test func noAdequateOfferExitsOneWithTheReasons() throws {
        let result = try CLIProcess.run(["route", "explain", "--offline", "--min-quality", "9999"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("no adequate offer"))
        #expect(result.stdout.contains("below the floor 9999"))
        // The exit status is all there is to add: no "ExitCode(rawValue: 1)" on stderr.
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test(arguments: [
        (["route", "explain", "--offline", "--prompt-tokens", "many"], "--prompt-tokens"),
        (["route", "explain", "--offline", "--data-class", "secret"], "--data-class must be one of"),
        (["route", "explain", "--offline", "--policy", "auto", "--model", "x"], "not both"),
        (["route", "explain", "--db", "x.sqlite"], "add --offline"),
        (["route", "explain", "--offline", "--at", "yesterday"], "--at: not a date"),
        (["frobnicate"], "Unexpected argument"),
    ])
    func badUsageExitsTwoWithAClearMessage(arguments: [String], message: String) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func unknownPolicyAndBrokenCatalogueFailWithOneLine() throws {
        let unknown = try CLIProcess.run(["route", "explain", "--offline", "--policy", "nope"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "tokenbroker: unknown policy, model or offer: nope\n")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "models: [".write(to: directory.appendingPathComponent("models.yaml"), atomically: true, encoding: .utf8)
        let broken = try CLIProcess.run(["route", "explain", "--offline", "--providers", directory.path])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("models.yaml:"))
        #expect(broken.stderr.contains("YAML syntax"))
    }

    @Test func offersListSortsByCostAndFilters() throws {
        let result = try CLIProcess.run(["offers", "list", "--offline", "--model", "llama-3.3-70b-instruct", "--sort", "cost", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count >= 3)
        #expect(rows.allSatisfy { $0["model"] as? String == "llama-3.3-70b-instruct" })
        #expect(rows.contains { $0["self_hosted"] as? Bool == true })
    }

    @Test func aDatabaseKeepsThePriceHistoryAcrossRuns() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)/broker.sqlite")
        let arguments = ["route", "explain", "--offline", "--db", database.path, "--at", "2026-08-01", "--json"]
        let first = try CLIProcess.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: database.path))
        let second = try CLIProcess.run(arguments)
        #expect(second.stdout == first.stdout)
        // Both runs synced the provider files into the database; the second appended nothing.
        let history = try CLIProcess.run(["prices", "history", "--offline", "--db", database.path, "--at", "2026-08-01", "--json"])
        let versions = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        let offers = try CLIProcess.run(["offers", "list", "--offline", "--json"])
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(offers.stdout.utf8)) as? [[String: Any]])
        // One version per offer (an offer with no known price still records that, dated and sourced).
        #expect(versions.count == listed.count)
    }
}
