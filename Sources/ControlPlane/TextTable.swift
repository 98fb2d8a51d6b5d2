/// Left-aligned columns for terminal output, numbers right-aligned; the header in capitals.
///
/// ```swift
/// var table = TextTable(["offer", "expected usd"], rightAligned: [1])
/// table.append(["groq/llama-3.3-70b-instruct", "0.0012"])
/// print(table.render())
/// ```
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []
    public var rightAligned: Set<Int>

    public init(_ header: [String], rightAligned: Set<Int> = []) {
        self.header = header.map { $0.uppercased() }
        self.rightAligned = rightAligned
    }

    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    public func render() -> String {
        let all = [header] + rows
        let count = header.count
        var widths = Array(repeating: 0, count: count)
        for row in all {
            for (index, cell) in row.prefix(count).enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            (0..<count).map { index in
                let cell = index < row.count ? row[index] : ""
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index == count - 1 && !rightAligned.contains(index) { return cell }
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
