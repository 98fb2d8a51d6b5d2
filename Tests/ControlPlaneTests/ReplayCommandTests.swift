import Foundation
import Testing

/// `tokenbroker replay` on the real price history (skipped, visibly, without ../shared).
@Suite struct ReplayCommandTests {
    static let shared = CLIProcess.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let history = shared.appendingPathComponent("price_history.csv").path
    static let hasSharedData = FileManager.default.fileExists(atPath: history)

    static func temporary(_ name: String) -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name)
    }

    /// Writes a workload and runs `replay --json` on it; returns the parsed report and the raw output.
    static func replay(_ workload: String, thresholds: String = "0,25") throws -> (json: [String: Any], stdout: String) {
        let file = temporary("workload.yaml")
        try workload.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run([
            "replay", "--offline", "--db", temporary("replay.sqlite").path, "--history", history, "--workload", file.path,
            "--thresholds", thresholds, "--period", "day", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (json, result.stdout)
    }

    static func events(_ json: [String: Any], run: Int = 0) throws -> [[String: Any]] {
        let runs = try #require(json["runs"] as? [[String: Any]])
        return try #require(runs[run]["events"] as? [[String: Any]])
    }

    static func offer(_ event: [String: Any]) -> String {
        let offer = event["offer"] as? [String: Any]
        return "\(offer?["provider"] ?? "")/\(offer?["model"] ?? "")"
    }

    static let o3Workload = """
        name: o3-cut
        start: 2025-05-20
        end: 2025-07-01
        policies:
          - id: reasoning
            min_quality: 1430
            expected_output_tokens: 3000
        streams:
          - tenant: analysts
            model: reasoning
            prompt_tokens: 2000
            max_tokens: 4000
            requests_per_day: 40
        """

    @Test(.enabled(if: hasSharedData, "needs ../shared/data (absent in a fresh clone)"))
    func theO3CutOf20250611PullsTheReasoningTrafficTheSameDay() throws {
        let (json, _) = try Self.replay(Self.o3Workload)
        let o3 = try #require(try Self.events(json).first { Self.offer($0) == "openai/o3" && ($0["at"] as? String) == "2025-06-11T00:00:00Z" })
        #expect(o3["requests_before"] as? Int == 0)
        // The 30 days after the cut, cut short by the workload's end: 2025-06-11 … 2025-07-01, 21 days of 40.
        #expect(o3["requests_after"] as? Int == 21 * 40)
        #expect(o3["streams_in"] as? [String] == ["analysts@0%/reasoning"])
        #expect(o3["first_arrival_at"] as? String == "2025-06-11T00:00:00Z")
        // At 25% the stream is held unless the saving is larger: an 80% cut clears it the same day.
        let held = try #require(try Self.events(json, run: 1).first { Self.offer($0) == "openai/o3" && ($0["at"] as? String) == "2025-06-11T00:00:00Z" })
        #expect(held["streams_in"] as? [String] == ["analysts@25%/reasoning"])
    }

    @Test(.enabled(if: hasSharedData, "needs ../shared/data (absent in a fresh clone)"))
    func theClaudeSonnet5CutOf20260703IsOneWarAcrossThreeHosts() throws {
        let (json, _) = try Self.replay(
            """
            name: sonnet-5
            start: 2026-06-25
            streams:
              - tenant: coding
                model: claude-sonnet-5
                prompt_tokens: 6000
                max_tokens: 1000
                requests_per_day: 30
            """, thresholds: "0")
        let cuts = try Self.events(json).filter { Self.offer($0).hasSuffix("/claude-sonnet-5") && ($0["at"] as? String) == "2026-07-03T00:00:00Z" }
        #expect(cuts.map(Self.offer).sorted() == ["anthropic/claude-sonnet-5", "bedrock/claude-sonnet-5", "vertex_ai/claude-sonnet-5"])
        // All three hosts cut alike, so the stream stays where the tie-break put it: the
        // traffic that moved is spend, not requests.
        let anthropic = try #require(cuts.first { Self.offer($0) == "anthropic/claude-sonnet-5" })
        #expect(anthropic["requests_before"] as? Int == 2 * 30)
        #expect((anthropic["requests_after"] as? Int ?? 0) > 0)
        let before = try #require(anthropic["spend_before_nano_usd"] as? Int) / 60
        let after = try #require(anthropic["spend_after_nano_usd"] as? Int) / (anthropic["requests_after"] as? Int ?? 1)
        #expect(after * 3 == before * 2)
    }

    @Test(.enabled(if: hasSharedData, "needs ../shared/data (absent in a fresh clone)"))
    func theSameInputsGiveTheSameBytes() throws {
        let first = try Self.replay(Self.o3Workload).stdout
        let second = try Self.replay(Self.o3Workload).stdout
        #expect(first == second)
        #expect(first.count > 1_000)
    }
}
