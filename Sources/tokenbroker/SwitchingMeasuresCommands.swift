public import ArgumentParser
import BrokerStore
import ControlPlane
import Foundation

/// The window and slice of the decision log a switching measure reads.
struct MeasureOptions: ParsableArguments {
    @Option(help: "From this time (ISO 8601, YYYY-MM-DD, or an age such as 24h, 7d).") var since: String?
    @Option(help: "Only this tenant's streams.") var tenant: String?
    @Option(help: "Only streams of this policy.") var policy: String?

    func validate() throws { try TimeOption.validate(since, "--since") }

    var query: [(String, String?)] { [("since", TimeOption.absolute(since)), ("tenant", tenant), ("policy", policy)] }
}

/// `--period hour|day|week`.
struct PeriodOptions: ParsableArguments {
    @Option(help: "The period measured over: hour, day or week (weeks start Monday, UTC).") var period: SwitchingPeriod = .day
}

extension SwitchingPeriod: ExpressibleByArgument {}

extension TokenBroker {
    /// `tokenbroker switches`: when each stream changed provider, and why.
    struct Switches: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List provider switches: when each stream changed provider, the price difference and the price event behind it.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var measure: MeasureOptions
        @Option(help: "The newest this many switches (1 to 1000000).") var limit: Int = 100

        func validate() throws {
            guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000000") }
        }

        func run() async throws {
            let rows = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/switches", query: measure.query + [("limit", "\(limit)")], as: [SwitchRow].self)
            }
            if output.json { return try JSONOutput.print(rows) }
            var table = TextTable(["time", "tenant", "policy", "from", "to", "saving usd", "price event", "decision"], rightAligned: [5])
            for row in rows {
                let from = row.fromProvider.map { "\($0)/\(row.fromModel ?? "")" } ?? "-"
                table.append([
                    Cell.time(row.at), row.tenant, row.policy, from, "\(row.toProvider)/\(row.toModel)", Cell.text(row.savingUSD),
                    Cell.time(row.priceEventAt), row.decision,
                ])
            }
            print(table.render())
            print("\(rows.count) switches")
        }
    }

    /// `tokenbroker churn`: the share of each period's spend that moved provider.
    struct Churn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Churn per period: spend and requests served by another provider than the stream's previous period.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var measure: MeasureOptions
        @OptionGroup var period: PeriodOptions

        func run() async throws {
            let rows = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/churn", query: measure.query + [("period", period.period.rawValue)], as: [ChurnRow].self)
            }
            if output.json { return try JSONOutput.print(rows) }
            var table = TextTable(
                ["period", "spend usd", "churned usd", "spend churn %", "", "requests", "churned", "request churn %"],
                rightAligned: [1, 2, 3, 5, 6, 7])
            for row in rows {
                table.append([
                    Cell.time(row.start), row.spendUSD, row.churnedSpendUSD, row.spendChurnPercent,
                    Sparkline.bar(Double(row.spendChurnPercent) ?? 0, of: 100, width: 20), "\(row.requests)",
                    "\(row.churnedRequests)", row.requestChurnPercent,
                ])
            }
            print(table.render())
            if rows.count > 1 {
                print("spend churn over time  \(Sparkline.render(rows.map { Double($0.spendChurnPercent) ?? 0 }))")
            }
        }
    }

    /// `tokenbroker loyalty`: each provider's mean period-to-period retention.
    struct Loyalty: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Loyalty index per provider: the mean share of its previous-period spend kept in streams still active.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var measure: MeasureOptions
        @OptionGroup var period: PeriodOptions

        func run() async throws {
            let rows = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/loyalty", query: measure.query + [("period", period.period.rawValue)], as: [LoyaltyRow].self)
            }
            if output.json { return try JSONOutput.print(rows) }
            var table = TextTable(["provider", "loyalty %", "periods"], rightAligned: [1, 2])
            for row in rows { table.append([row.provider, row.loyaltyPercent, "\(row.periods)"]) }
            print(table.render())
        }
    }

    /// `tokenbroker concentration`: the HHI of spend by provider per period.
    struct Concentration: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Concentration per period: Herfindahl-Hirschman index of spend by provider (0-10000) and the largest share.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var measure: MeasureOptions
        @OptionGroup var period: PeriodOptions

        func run() async throws {
            let rows = try await daemon.call { client throws(ControlClientError) in
                try await client.get(
                    "/v1/concentration", query: measure.query + [("period", period.period.rawValue)], as: [ConcentrationRow].self)
            }
            if output.json { return try JSONOutput.print(rows) }
            var table = TextTable(["period", "hhi", "providers", "spend usd", "top provider", "top share %"], rightAligned: [1, 2, 3, 5])
            for row in rows {
                table.append([
                    Cell.time(row.start), "\(row.hhi)", "\(row.providers)", row.spendUSD, Cell.text(row.topProvider),
                    Cell.text(row.topSharePercent),
                ])
            }
            print(table.render())
            if rows.count > 1 {
                print("HHI over time  \(Sparkline.render(rows.map { Double($0.hhi) }))")
            }
        }
    }
}
