import ControlPlane
import Foundation
import Testing

/// The HTML report, rendered from a real replay and loaded in headless Debian `chromium`
/// (installed by `make deps`; skipped, visibly, where it is not).
@Suite struct ReportBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Two hosts sell gpt-4.1 (LMArena 1412 in the catalogue); b undercuts a, cuts again, and a answers.
    static let history = """
        observed_at,provider,model,input_usd_per_mtok,output_usd_per_mtok,source_commit,source_repo,change_type,prev_input_usd_per_mtok,prev_output_usd_per_mtok,flags
        2025-01-01,openai,gpt-4.1,2,8,aa,test,new,,,
        2025-01-01,together_ai,gpt-4.1,2.5,9,aa,test,new,,,
        2025-01-01,groq,gpt-4o-mini,0.15,0.6,aa,test,new,,,
        2025-02-01,together_ai,gpt-4.1,1.9,7.5,bb,test,changed,2.5,9,
        2025-03-01,together_ai,gpt-4.1,1,4,cc,test,changed,1.9,7.5,
        2025-03-20,openai,gpt-4.1,0.9,3.6,dd,test,changed,2,8,

        """

    static let workload = """
        name: browser-test
        end: 2025-04-30
        policies:
          - id: strong
            min_quality: 1400
        streams:
          - tenant: web
            model: strong
            prompt_tokens: 3000
            max_tokens: 500
            requests_per_day: 50
          - tenant: batch
            model: auto
            prompt_tokens: 800
            max_tokens: 200
            requests_per_day: 200
        """

    @Test(.enabled(if: chromium != nil, "needs Debian chromium (make test installs it as root)"))
    func theReportLoadsWithoutConsoleErrorsAndDrawsEverySeries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let history = directory.appendingPathComponent("history.csv")
        let workload = directory.appendingPathComponent("workload.yaml")
        let db = directory.appendingPathComponent("replay.sqlite").path
        let html = directory.appendingPathComponent("report.html")
        try Self.history.write(to: history, atomically: true, encoding: .utf8)
        try Self.workload.write(to: workload, atomically: true, encoding: .utf8)
        let replay = try CLIProcess.run([
            "replay", "--offline", "--db", db, "--history", history.path, "--workload", workload.path, "--thresholds", "0,10",
        ])
        #expect(replay.status == 0, "\(replay.stderr)")
        let report = try CLIProcess.run(["report", "--offline", "--db", db, "--html", html.path])
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        // Self-contained: nothing fetched from elsewhere.
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("@import"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", "--dump-dom", html.absoluteString,
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // Every console message (errors, warnings, uncaught exceptions) is logged as CONSOLE.
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "\(console)")

        // The page's script counts the drawn series per chart into data-rendered once it ran.
        let marker = "data-rendered=\""
        let start = try #require(dom.range(of: marker)).upperBound
        let end = try #require(dom[start...].firstIndex(of: "\""))
        let json = String(dom[start..<end]).replacingOccurrences(of: "&quot;", with: "\"")
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Int])
        #expect(counts["prices"] == 3)  // openai/gpt-4.1, together/gpt-4.1, groq/gpt-4o-mini
        #expect(counts["share"] == 3)  // groq, openai, together
        #expect(counts["switches"] == 2)  // one row per stream (the first run)
        #expect(counts["hhi"] == 2)  // one line per threshold
        for series in ["openai/gpt-4.1", "together/gpt-4.1", "threshold 0%", "threshold 10%"] {
            #expect(dom.contains("data-series=\"\(series)\""), "no series \(series)")
        }
        #expect(dom.contains("id=\"comparison\""))
    }

    @Test func sparklinesScaleBetweenTheSeriesExtremes() {
        #expect(Sparkline.render([1, 5, 3, 8]) == "▁▅▃█")
        #expect(Sparkline.render([2, 2, 2]) == "▁▁▁")
        #expect(Sparkline.render(Array(repeating: 1, count: 100) + Array(repeating: 9, count: 100), width: 4) == "▁▁██")
        #expect(Sparkline.bar(3, of: 4, width: 8) == "██████  ")
        #expect(Sparkline.bar(0, of: 0, width: 3) == "   ")
    }
}
