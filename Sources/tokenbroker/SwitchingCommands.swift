import ArgumentParser
import BrokerCore
import BrokerStore
import ControlPlane
import Foundation
import PriceFeeds

extension TokenBroker {
    /// `tokenbroker replay`: the real router over a price history, one run per threshold.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a workload through the router over a price history and measure switching.",
            discussion: """
                Routes every stream of the workload day by day over the history (each request is one \
                decision row in --db, a fresh SQLite file), once per switching threshold, then prints \
                the switching measures side by side and the price cuts that moved traffic.
                """)

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The price-history CSV (shared/data/price_history.csv format).")
        var history: String

        @Option(help: "The workload YAML (see Deploy/examples/).")
        var workload: String

        @Option(help: "Switching thresholds in percent, comma-separated: one run each.")
        var thresholds: String = "0,10,25"

        @Option(help: "LMArena ratings JSON (default: leaderboard-text-style-control.json next to the history).")
        var arena: String?

        @Option(help: "Period for churn, retention and concentration: hour, day or week.")
        var period: String = "week"

        func validate() throws {
            _ = try thresholdList()
            guard SwitchingPeriod(rawValue: period) != nil else { throw ValidationError("--period must be hour, day or week") }
        }

        func thresholdList() throws -> [Int] {
            let parts = thresholds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = parts.compactMap { ExactDecimal.parse($0, scale: 2) }.filter { $0 >= 0 && $0 <= 1_000_000 }.map { Int($0) }
            guard !parts.isEmpty, values.count == parts.count, Set(values).count == values.count else {
                throw ValidationError("--thresholds: distinct percentages, comma-separated, e.g. 0,10,25 (got \(thresholds))")
            }
            return values
        }

        func run() async throws {
            let database = catalogue.db ?? "tokenbroker-replay.sqlite"
            let started = Date()
            let report: SwitchingReport
            let runs: [ReplayRunRecord]
            do {
                let market = try HistoryMarketLoader.load(
                    history: URL(fileURLWithPath: history), providers: catalogue.providersDirectory, arena: arena.map(URL.init(fileURLWithPath:)))
                let workload = try WorkloadFile.load(URL(fileURLWithPath: workload))
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
                let store = try SQLiteStore(path: database)
                runs = try ReplayRunner(
                    market: market, workload: workload, thresholds: try thresholdList(),
                    historyName: URL(fileURLWithPath: history).lastPathComponent
                ).run(into: store)
                FileHandle.standardError.write(Data(String(format: "routed and written in %.2f s\n", Date().timeIntervalSince(started)).utf8))
                report = try SwitchingReport.load(from: store, period: SwitchingPeriod(rawValue: period)!)
            } catch let error as ValidationError {
                throw error
            } catch {
                throw CommandFailure(description: "\(error)")
            }
            FileHandle.standardError.write(
                Data(String(format: "replayed in %.2f s into %@\n", Date().timeIntervalSince(started), database).utf8))
            if output.json {
                print(try ReportJSON.string(report))
                return
            }
            if let run = runs.first {
                print(
                    "\(run.workload) over \(run.history): \(HTMLReport.day(run.firstDay)) → \(HTMLReport.day(run.lastDay)), \(run.requests) requests per run, \(runs.count) run\(runs.count == 1 ? "" : "s") → \(database)\n")
            }
            print(SwitchingView.comparison(report))
            print()
            print(SwitchingView.events(report))
        }
    }

    /// `tokenbroker wars`: price wars in a history file or a store's price versions.
    struct Wars: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Detect price wars: cuts in one quality band within a window, first mover and followers.",
            discussion: """
                With --history, reads the price-history CSV and sets aside what its flags mark as data \
                artefacts (≥20× jumps, changes reverted within 30 days, moves to or from zero) unless \
                --keep-flagged; with --db, reads the store's price versions.
                """)

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The price-history CSV.")
        var history: String?

        @Option(help: "LMArena ratings JSON (default: leaderboard-text-style-control.json next to the history).")
        var arena: String?

        @Option(help: "Days after the first cut in which followers join a war.")
        var window: Int = 30

        @Flag(help: "Keep changes the history flags as data artefacts.")
        var keepFlagged = false

        func validate() throws {
            guard history != nil || catalogue.db != nil else { throw ValidationError("pass --history CSV or --db FILE") }
            guard window > 0 else { throw ValidationError("--window must be at least one day") }
        }

        func run() async throws {
            let report: PriceWarReport
            do {
                if let history {
                    let market = try HistoryMarketLoader.load(
                        history: URL(fileURLWithPath: history), providers: catalogue.providersDirectory,
                        arena: arena.map(URL.init(fileURLWithPath:)))
                    report = market.priceWars(window: TimeInterval(window) * 86_400, keepFlagged: keepFlagged)
                } else {
                    let store = try SQLiteStore(path: catalogue.db!)
                    report = try SwitchingReport.load(from: store).wars
                }
            } catch {
                throw CommandFailure(description: "\(error)")
            }
            if output.json {
                print(try ReportJSON.string(report))
            } else {
                print(SwitchingView.wars(report))
            }
        }
    }

    /// `tokenbroker report --html`: one self-contained page of charts.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the switching report of a store or replay database as one self-contained HTML file.")

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The HTML file to write.")
        var html: String?

        @Option(help: "Period for churn, share and concentration: hour, day or week.")
        var period: String = "week"

        func validate() throws {
            guard catalogue.db != nil else { throw ValidationError("--db is required: the report reads a decision log") }
            guard html != nil || output.json else { throw ValidationError("pass --html FILE (or --json)") }
            guard SwitchingPeriod(rawValue: period) != nil else { throw ValidationError("--period must be hour, day or week") }
        }

        func run() async throws {
            guard let db = catalogue.db, FileManager.default.fileExists(atPath: db) else {
                throw CommandFailure(description: "no database at \(catalogue.db ?? "")")
            }
            let report: SwitchingReport
            do {
                report = try SwitchingReport.load(from: try SQLiteStore(path: db), period: SwitchingPeriod(rawValue: period)!)
                if let html { try Data(HTMLReport.render(report).utf8).write(to: URL(fileURLWithPath: html)) }
            } catch {
                throw CommandFailure(description: "\(error)")
            }
            if output.json {
                print(try ReportJSON.string(report))
            } else if let html {
                print("\(html): \(report.runs.count) run\(report.runs.count == 1 ? "" : "s"), \(report.wars.wars.count) price wars, \(report.prices.count) price series")
            }
        }
    }
}
