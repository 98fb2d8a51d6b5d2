import Foundation
import Testing

@Suite struct PricesCommandTests {
    static let fixtures = "Tests/PriceFeedsTests/Fixtures"

    func database() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString)/broker.sqlite").path
    }

    @Test func importsHistoryOnceAndShowsItOldestFirst() throws {
        let db = database()
        let file = "\(Self.fixtures)/price_history_snippet.csv"
        let first = try CLIProcess.run(["prices", "import", file, "--format", "history", "--offline", "--db", db, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let appended = try #require(summary["price_versions_appended"] as? Int)
        #expect(appended > 0)
        let again = try CLIProcess.run(["prices", "import", file, "--format", "history", "--offline", "--db", db])
        #expect(again.stdout.contains("0 price versions appended, \(appended) unchanged"))

        let history = try CLIProcess.run(["prices", "history", "--offline", "--db", db, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        let dates = rows.compactMap { $0["effective_at"] as? String }
        #expect(dates == dates.sorted())
        #expect(rows.count >= appended)
    }

    @Test func aBadFileIsRejectedWholeAndTheStoreIsUnchanged() throws {
        let db = database()
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).csv")
        let good = try String(contentsOfFile: CLIProcess.repositoryRoot.appendingPathComponent("\(Self.fixtures)/price_history_snippet.csv").path, encoding: .utf8)
        try (good + "2026-07-30,openai,gpt-x,abc,1,c,r,new,,,\n").write(to: broken, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["prices", "import", broken.path, "--format", "history", "--offline", "--db", db])
        #expect(result.status == 1)
        #expect(result.stderr.contains("line"), "\(result.stderr)")
        // Not even the provider files were synced: the file was refused before the store was opened.
        #expect(!FileManager.default.fileExists(atPath: db))
        let history = try CLIProcess.run(["prices", "history", "--offline", "--db", db, "--model", "gpt-x", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])
        #expect(rows.isEmpty)
    }

    @Test(arguments: [
        (["prices", "import", "x.json", "--format", "csv", "--offline", "--db", "/tmp/x.sqlite"], "--format must be one of"),
        (["prices", "history", "--offline"], "--db is required"),
        (["prices", "history", "gpt-4o", "--offline", "--db", "/tmp/x.sqlite"], "provider/model"),
        (["prices", "history", "--offline", "--db", "/tmp/x.sqlite", "--since", "soon"], "--since: not a time"),
    ])
    func badUsageExitsTwo(arguments: [String], message: String) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
