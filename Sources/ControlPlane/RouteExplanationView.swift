/// The human table of `tokenbroker route explain`.
public struct RouteExplanationView {
    public var explanation: RouteExplanation
    public var limit: Int

    public init(_ explanation: RouteExplanation, limit: Int) {
        self.explanation = explanation
        self.limit = limit
    }

    public func render() -> String {
        var lines: [String] = []
        let explanation = self.explanation
        lines.append(
            "policy \(explanation.policy) · target \(explanation.target) · \(explanation.promptTokens) prompt tokens · "
                + "\(explanation.expectedOutputTokens) output tokens expected")
        if let chosen = explanation.chosen {
            lines.append("chosen: \(chosen.provider)/\(chosen.model) at \(chosen.expectedCostUSD) USD")
        } else {
            lines.append("no adequate offer: every offer was excluded (reasons below)")
        }
        if explanation.hysteresis != "none" { lines.append("hysteresis: \(explanation.hysteresis)") }
        if !explanation.candidates.isEmpty {
            var table = TextTable(["#", "offer", "expected usd", "list usd", "quality", "price since"], rightAligned: [0, 2, 3, 4])
            for (rank, candidate) in explanation.candidates.prefix(limit).enumerated() {
                table.append([
                    "\(rank + 1)", "\(candidate.provider)/\(candidate.model)", candidate.expectedCostUSD, candidate.listCostUSD,
                    candidate.quality.map(String.init) ?? "-", String(candidate.priceEffectiveAt.prefix(10)),
                ])
            }
            lines.append("")
            lines.append("\(explanation.candidates.count) adequate offers, cheapest first:")
            lines.append(table.render())
            if explanation.candidates.count > limit { lines.append("… \(explanation.candidates.count - limit) more (--limit, --json)") }
        }
        if !explanation.excluded.isEmpty {
            var counts: [String: Int] = [:]
            for excluded in explanation.excluded { counts[excluded.reason, default: 0] += 1 }
            let summary = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("")
            lines.append("\(explanation.excluded.count) excluded (\(summary)):")
            var table = TextTable(["offer", "reason"])
            for excluded in explanation.excluded.prefix(limit) {
                table.append(["\(excluded.provider)/\(excluded.model)", excluded.detail])
            }
            lines.append(table.render())
            if explanation.excluded.count > limit { lines.append("… \(explanation.excluded.count - limit) more (--limit, --json)") }
        }
        return lines.joined(separator: "\n")
    }
}
