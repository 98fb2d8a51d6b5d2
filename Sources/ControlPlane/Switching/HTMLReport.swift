public import Foundation
import BrokerCore
import BrokerStore

/// One self-contained HTML page (inline CSS and SVG, no external assets) drawing a
/// ``SwitchingReport``: prices over time (log scale), spend share by provider, switches on
/// the timeline against the price cuts, HHI over time, and the threshold comparison.
public enum HTMLReport {
    public static func render(_ report: SwitchingReport, title: String = "TokenBroker: price wars and switching") -> String {
        var sections: [String] = []
        sections.append("<h1>\(HTML.escape(title))</h1>")
        if let run = report.runs.first?.run {
            sections.append(
                "<p class=\"meta\">Workload <b>\(HTML.escape(run.workload))</b> replayed over <b>\(HTML.escape(run.history))</b>, \(day(run.firstDay)) → \(day(run.lastDay)); periods of one \(report.period.rawValue). \(report.wars.wars.count) price wars detected, \(report.wars.setAsideCount) price changes set aside as data artefacts.</p>")
        }
        sections.append("<h2>Threshold comparison</h2>" + comparisonTable(report))
        if let span = span(report) {
            sections.append("<h2>Price per Mtok (blended 3:1 input:output, log scale)</h2>" + priceChart(report, span: span))
            if let first = report.runs.first {
                sections.append("<h2>Share of spend by provider (\(HTML.escape(first.label)))</h2>" + shareChart(first, span: span))
                sections.append("<h2>Switches on the timeline (\(HTML.escape(first.label))); dashed lines: price cuts in wars</h2>" + switchChart(first, wars: report.wars, span: span))
            }
            sections.append("<h2>Concentration of spend (HHI)</h2>" + hhiChart(report, span: span))
        }
        sections.append("<h2>Price wars with traffic</h2>" + warTable(report))
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
            table{border-collapse:collapse;margin:8px 0 16px}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}
            td:first-child,th:first-child{text-align:left}.meta{color:#555}svg{width:100%;height:auto;background:#fff}
            .plot{fill:#fafafa;stroke:#ccc}.grid{stroke:#e4e4e4}.tick,.legend{font-size:11px;fill:#444}
            .series{fill:none;stroke-width:1.8}.war{stroke:#d62728;stroke-dasharray:4 3;stroke-width:1}
            </style></head><body>
            \(sections.joined(separator: "\n"))
            <script>
            (function () {
              var counts = {};
              document.querySelectorAll("svg").forEach(function (svg) {
                counts[svg.id] = svg.querySelectorAll("[data-series]").length;
              });
              document.body.setAttribute("data-rendered", JSON.stringify(counts));
            })();
            </script>
            </body></html>

            """
    }

    public static func day(_ date: Date) -> String { String(ISO8601DateFormatter().string(from: date).prefix(10)) }
    static func usd(_ nano: Int64, places: Int = 2) -> String { Money(nanoUSD: nano).decimalString(places: places) }
    static func percent(_ basisPoints: Int) -> String { ExactDecimal.format(Int128(basisPoints), scale: 2) + "%" }
    static func hours(_ seconds: Int64) -> String { String(format: "%.1f h", Double(seconds) / 3_600) }

    static func comparisonTable(_ report: SwitchingReport) -> String {
        var rows = [
            "<tr><th>run</th><th>decisions</th><th>switches</th><th>switch rate</th><th>churn (spend)</th><th>loyalty index</th><th>mean HHI</th><th>spend USD</th><th>cost of loyalty USD</th><th>median time-to-switch</th></tr>"
        ]
        for run in report.runs {
            let overall = run.overall
            let lag = run.switchLagSeconds.map { hours($0.median) } ?? "–"
            rows.append(
                "<tr><td>\(HTML.escape(run.label))</td><td>\(overall.decisions)</td><td>\(overall.switches)</td><td>\(percent(overall.rateBasisPoints))</td><td>\(percent(run.churnBasisPoints))</td><td>\(run.loyaltyBasisPoints.map(percent) ?? "–")</td><td>\(run.meanHHI.map(String.init) ?? "–")</td><td>\(usd(run.totalSpendNanoUSD))</td><td>\(usd(run.loyalExtraNanoUSD))</td><td>\(lag)</td></tr>")
        }
        return "<table id=\"comparison\">\(rows.joined())</table>"
    }

    static func span(_ report: SwitchingReport) -> (Date, Date)? {
        let dates = report.runs.flatMap { $0.spend.map(\.start) } + report.prices.flatMap { $0.points.map(\.at) }
        guard let first = dates.min(), let last = dates.max(), first < last else { return nil }
        let runStart = report.runs.compactMap { $0.run?.firstDay }.min()
        let runEnd = report.runs.compactMap { $0.run?.lastDay }.max()
        return (runStart ?? first, max(runEnd ?? last, last))
    }

    static func blendedUSD(_ point: SwitchingReport.PriceSeries.Point) -> Double? {
        guard let input = point.inputNanoUSD, let output = point.outputNanoUSD else { return nil }
        return Double(3 * input + output) / 4 / 1e9
    }

    static func priceChart(_ report: SwitchingReport, span: (Date, Date)) -> String {
        let values = report.prices.flatMap { $0.points.compactMap(blendedUSD) }.filter { $0 > 0 }
        var chart = SVGChart(
            start: span.0, end: span.1, low: pow(10, floor(log10(values.min() ?? 0.1))), high: pow(10, ceil(log10(values.max() ?? 100))),
            logarithmic: true)
        for (index, series) in report.prices.enumerated() {
            var points = series.points.compactMap { point in blendedUSD(point).map { (max(point.at, span.0), $0) } }.filter { $0.1 > 0 }
            guard let last = points.last else { continue }
            points.append((span.1, last.1))
            let color = SVGChart.color(index)
            chart.add(
                "<path class=\"series\" data-series=\"\(HTML.escape(series.offer.description))\" stroke=\"\(color)\" d=\"\(chart.path(points, steps: true))\"><title>\(HTML.escape(series.offer.description))</title></path>")
            chart.legend.append((series.offer.description, color))
        }
        return chart.render(id: "prices", title: "price per Mtok") { value in value >= 1 ? "$\(Int(value))" : "$\(value)" }
    }

    static func shareChart(_ run: SwitchingReport.RunMeasures, span: (Date, Date)) -> String {
        var totals: [String: Int64] = [:]
        for spend in run.spend { totals[spend.provider, default: 0] += spend.spendNanoUSD }
        let providers = totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        let shown = Array(providers.prefix(8))
        let names = shown + (providers.count > shown.count ? ["other"] : [])
        let periods = Array(Set(run.spend.map(\.start))).sorted()
        var byPeriod: [Date: [String: Int64]] = [:]
        for spend in run.spend {
            let name = shown.contains(spend.provider) ? spend.provider : "other"
            byPeriod[spend.start, default: [:]][name, default: 0] += spend.spendNanoUSD
        }
        var chart = SVGChart(start: span.0, end: span.1, low: 0, high: 100)
        var lower = Array(repeating: 0.0, count: periods.count)
        for (index, name) in names.enumerated() {
            var upper = lower
            for (position, period) in periods.enumerated() {
                let values = byPeriod[period] ?? [:]
                let total = values.values.reduce(0, +)
                upper[position] = lower[position] + (total > 0 ? Double(values[name] ?? 0) / Double(total) * 100 : 0)
            }
            let top = zip(periods, upper).map { ($0, $1) }
            let bottom = zip(periods, lower).reversed().map { ($0, $1) }
            guard !top.isEmpty else { continue }
            let d = chart.path(top, steps: false) + chart.path(bottom, steps: false).replacingOccurrences(of: "M", with: "L") + "Z"
            let color = SVGChart.color(index)
            chart.add("<path class=\"area\" data-series=\"\(HTML.escape(name))\" fill=\"\(color)\" fill-opacity=\"0.85\" d=\"\(d)\"><title>\(HTML.escape(name))</title></path>")
            chart.legend.append((name, color))
            lower = upper
        }
        return chart.render(id: "share", title: "share of spend") { "\(Int($0))%" }
    }

    static func switchChart(_ run: SwitchingReport.RunMeasures, wars: PriceWarReport, span: (Date, Date)) -> String {
        let streams = Array(Set(run.switchRates.compactMap(\.streamKey))).sorted()
        var chart = SVGChart(start: span.0, end: span.1, low: -0.5, high: Double(max(1, streams.count)) - 0.5)
        chart.height = max(160, 50 + Double(streams.count) * 28)
        for move in wars.wars.flatMap(\.moves) where move.at >= span.0 && move.at <= span.1 {
            let px = SVGChart.number(chart.x(move.at))
            chart.add(
                "<line class=\"war\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(chart.top)\" y2=\"\(chart.height - chart.bottom)\"><title>\(HTML.escape("\(move.offer) cut \(percent(move.depthBasisPoints)) on \(day(move.at))"))</title></line>")
        }
        for (index, stream) in streams.enumerated() {
            let events = run.switches.filter { $0.streamKey == stream }
            let color = SVGChart.color(index)
            var marks = ""
            for event in events {
                let label = "\(day(event.at)) \(event.from?.description ?? "?") → \(event.to)"
                marks += "<circle cx=\"\(SVGChart.number(chart.x(event.at)))\" cy=\"\(SVGChart.number(chart.y(Double(index))))\" r=\"4\" fill=\"\(color)\"><title>\(HTML.escape(label))</title></circle>"
            }
            chart.add("<g class=\"switches\" data-series=\"\(HTML.escape(stream))\">\(marks)</g>")
            chart.legend.append(("\(stream) (\(events.count))", color))
        }
        return chart.render(id: "switches", title: "switches") { value in
            let index = Int(value.rounded())
            return index >= 0 && index < streams.count && abs(value - Double(index)) < 0.01 ? "#\(index + 1)" : ""
        }
    }

    static func hhiChart(_ report: SwitchingReport, span: (Date, Date)) -> String {
        var chart = SVGChart(start: span.0, end: span.1, low: 0, high: 10_000)
        for (index, run) in report.runs.enumerated() {
            let points = run.concentration.map { ($0.start, Double($0.hhi)) }
            guard !points.isEmpty else { continue }
            let color = SVGChart.color(index)
            chart.add(
                "<path class=\"series\" data-series=\"\(HTML.escape(run.label))\" stroke=\"\(color)\" d=\"\(chart.path(points, steps: true))\"><title>\(HTML.escape(run.label))</title></path>")
            chart.legend.append((run.label, color))
        }
        return chart.render(id: "hhi", title: "HHI") { "\(Int($0))" }
    }

    static func warTable(_ report: SwitchingReport) -> String {
        guard let run = report.runs.first else { return "<p>No runs.</p>" }
        let bands = Dictionary(report.wars.wars.flatMap { war in war.moves.map { ($0, war.band) } }, uniquingKeysWith: { first, _ in first })
        var rows = [
            "<tr><th>cut</th><th>band</th><th>offer</th><th>price USD/Mtok (in/out)</th><th>depth</th><th>requests 30 d before → after</th><th>provider switches in</th><th>streams in</th><th>first arrival</th></tr>"
        ]
        for (move, traffic) in report.trafficMoves(run) {
            let price = { (nano: Int64) in ExactDecimal.format(Int128(nano), scale: 9) }
            rows.append(
                "<tr><td>\(day(move.at))</td><td>\(HTML.escape(bands[move] ?? ""))</td><td>\(HTML.escape(move.offer.description))</td><td>\(price(move.inputBefore))/\(price(move.outputBefore)) → \(price(move.inputAfter))/\(price(move.outputAfter))</td><td>\(percent(move.depthBasisPoints))</td><td>\(traffic.requestsBefore) → \(traffic.requestsAfter)</td><td>\(traffic.switchesIn)</td><td>\(HTML.escape(traffic.streamsIn.joined(separator: " ")))</td><td>\(traffic.firstArrivalAt.map(day) ?? "–")</td></tr>")
        }
        return "<table id=\"wars\">\(rows.joined())</table>"
    }
}
