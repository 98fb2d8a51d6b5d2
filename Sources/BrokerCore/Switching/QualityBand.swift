/// The tiers of quality that compete with each other in a price war.
///
/// The default edges are the floors the bundled policies use (LMArena, style control):
/// 1,440 top tier, 1,400 strong, 1,350 good mid-size, 1,300 solid small. A model without a
/// score is its own band: it competes only for requests that name it, across its hosts.
public struct QualityBands: Sendable, Hashable {
    /// Lower edges, descending.
    public var edges: [Int]

    public init(edges: [Int] = [1_440, 1_400, 1_350, 1_300]) {
        self.edges = edges.sorted(by: >)
    }

    /// A stable name for the band of a model: `q1440+`, `q1400-1439`, `q<1300`, or
    /// `model:<id>` for a model with no score.
    public func band(quality: Int?, model: String) -> String {
        guard let quality else { return "model:\(model)" }
        for (index, edge) in edges.enumerated() where quality >= edge {
            return index == 0 ? "q\(edge)+" : "q\(edge)-\(edges[index - 1] - 1)"
        }
        return "q<\(edges.last ?? 0)"
    }
}
