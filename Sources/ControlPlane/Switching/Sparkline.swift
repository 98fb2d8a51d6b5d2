/// Terminal pictures for people who never leave the shell: sparklines of a series and
/// horizontal bars. Pure text; the caller prints it.
///
/// ```swift
/// Sparkline.render([1, 5, 3, 8])   // "▁▅▃█"
/// Sparkline.bar(3, of: 4, width: 8) // "██████  "
/// ```
public enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value, scaled between the series' minimum and maximum (a flat
    /// series is drawn at the lowest level). At most `width` characters: longer series are
    /// averaged into that many buckets.
    public static func render(_ values: [Double], width: Int = 60) -> String {
        let points = resample(values, width: width)
        guard let low = points.min(), let high = points.max() else { return "" }
        let span = high - low
        return String(
            points.map { value in
                span > 0 ? levels[min(levels.count - 1, Int((value - low) / span * Double(levels.count - 1) + 0.5))] : levels[0]
            })
    }

    /// A bar of `value / total × width` full blocks, padded with spaces to `width`.
    public static func bar(_ value: Double, of total: Double, width: Int = 20) -> String {
        let filled = total > 0 ? min(width, max(0, Int((value / total * Double(width)).rounded()))) : 0
        return String(repeating: "█", count: filled) + String(repeating: " ", count: width - filled)
    }

    static func resample(_ values: [Double], width: Int) -> [Double] {
        guard values.count > width, width > 0 else { return values }
        return (0..<width).map { bucket in
            let start = bucket * values.count / width
            let end = max(start + 1, (bucket + 1) * values.count / width)
            let slice = values[start..<end]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }
}
