public import BrokerCore
import BrokerStore
import Foundation

/// The terminal views of the switching measures and price wars: tables, sparklines, bars.
public enum SwitchingView {
    static func percent(_ basisPoints: Int) -> String { ExactDecimal.format(Int128(basisPoints), scale: 2) + "%" }
    static func usd(_ nano: Int64) -> String { Money(nanoUSD: nano).decimalString(places: 2) }
    static func day(_ date: Date) -> String { HTMLReport.day(date) }
    static func price(_ nano: Int64) -> String { ExactDecimal.format(Int128(nano), scale: 9) }

    /// The runs side by side.
    public static func comparison(_ report: SwitchingReport) -> String {
        var table = TextTable(
            ["run", "decisions", "switches", "switch rate", "churn", "loyalty", "mean hhi", "spend usd", "cost of loyalty usd", "median tts"],
            rightAligned: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        for run in report.runs {
            let overall = run.overall
            table.append([
                run.label, "\(overall.decisions)", "\(overall.switches)", percent(overall.rateBasisPoints), percent(run.churnBasisPoints),
                run.loyaltyBasisPoints.map(percent) ?? "–", run.meanHHI.map(String.init) ?? "–", usd(run.totalSpendNanoUSD), usd(run.loyalExtraNanoUSD),
                run.switchLagSeconds.map { HTMLReport.hours($0.median) } ?? "–",
            ])
        }
        var lines = [table.render(), ""]
        for run in report.runs {
            lines.append("HHI   \(run.label.padding(toLength: 16, withPad: " ", startingAt: 0)) \(Sparkline.render(run.concentration.map { Double($0.hhi) }))")
            lines.append("churn \(run.label.padding(toLength: 16, withPad: " ", startingAt: 0)) \(Sparkline.render(run.churn.map { Double($0.spendChurnBasisPoints) }))")
        }
        return lines.joined(separator: "\n")
    }

    /// Cuts of the wars that carried traffic in the first run: before and after, and who moved.
    public static func events(_ report: SwitchingReport) -> String {
        guard let run = report.runs.first else { return "" }
        var table = TextTable(
            ["cut", "offer", "usd/mtok in/out", "depth", "requests 30d before", "after", "switches in", "first arrival", "streams in"],
            rightAligned: [3, 4, 5, 6])
        for (move, traffic) in report.trafficMoves(run) {
            table.append([
                day(move.at), move.offer.description,
                "\(price(move.inputBefore))/\(price(move.outputBefore)) → \(price(move.inputAfter))/\(price(move.outputAfter))",
                percent(move.depthBasisPoints), "\(traffic.requestsBefore)", "\(traffic.requestsAfter)", "\(traffic.switchesIn)",
                traffic.firstArrivalAt.map { ISO8601DateFormatter().string(from: $0) } ?? "–", traffic.streamsIn.joined(separator: " "),
            ])
        }
        return "Price cuts that carried traffic (\(run.label)):\n" + table.render()
    }

    /// Detected wars: one line per war, its movers beneath with a bar for the depth of each cut.
    public static func wars(_ report: PriceWarReport) -> String {
        var lines: [String] = []
        let cutsByMonth = Dictionary(grouping: report.cuts) { String(day($0.at).prefix(7)) }
        if let first = report.moves.first?.at, let last = report.moves.last?.at {
            var months: [String] = []
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            var date = first
            while date <= last.addingTimeInterval(31 * 86_400) {
                let month = String(day(date).prefix(7))
                if months.last != month { months.append(month) }
                date = calendar.date(byAdding: .day, value: 28, to: date)!
            }
            lines.append("cuts per month \(months.first ?? "") \(Sparkline.render(months.map { Double(cutsByMonth[$0]?.count ?? 0) }, width: 80)) \(months.last ?? "")")
        }
        lines.append(
            "\(report.wars.count) price wars from \(report.cuts.count) cuts and \(report.raises.count) raises; \(report.setAsideCount) changes set aside as data artefacts"
                + (report.setAside.isEmpty ? "" : " (" + report.setAside.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        lines.append("")
        for war in report.wars {
            lines.append(
                "\(day(war.start))  \(war.band)  \(war.moves.count) cut\(war.moves.count == 1 ? "" : "s") by \(war.providers.joined(separator: ", "))  deepest \(percent(war.deepestBasisPoints))")
            for (index, move) in war.moves.enumerated() {
                let role = index == 0 ? "first " : "+\(Int(move.at.timeIntervalSince(war.start) / 86_400))d".padding(toLength: 6, withPad: " ", startingAt: 0)
                lines.append(
                    "    \(role) \(day(move.at))  \(Sparkline.bar(Double(move.depthBasisPoints), of: 10_000, width: 20)) \(percent(move.depthBasisPoints).padding(toLength: 7, withPad: " ", startingAt: 0)) \(move.offer)  \(price(move.inputBefore))/\(price(move.outputBefore)) → \(price(move.inputAfter))/\(price(move.outputAfter))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
