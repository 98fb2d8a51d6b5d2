import Foundation

/// A small SVG plotting surface: a time axis, a linear or log value axis, and elements
/// added as text. Coordinates are `Double` (drawing only; money never passes through here
/// except as already-rounded display values).
struct SVGChart {
    var width = 960.0
    var height = 300.0
    var left = 70.0
    var right = 180.0
    var top = 20.0
    var bottom = 30.0
    var start: Date
    var end: Date
    var low: Double
    var high: Double
    var logarithmic = false
    var body: [String] = []
    var legend: [(name: String, color: String)] = []

    static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
        "#393b79", "#637939",
    ]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    func x(_ date: Date) -> Double {
        let span = max(1, end.timeIntervalSince(start))
        return left + (width - left - right) * date.timeIntervalSince(start) / span
    }

    func y(_ value: Double) -> Double {
        let plot = height - top - bottom
        if logarithmic {
            let v = log10(max(value, low)), lo = log10(low), hi = log10(high)
            return top + plot * (1 - (v - lo) / max(1e-9, hi - lo))
        }
        return top + plot * (1 - (value - low) / max(1e-9, high - low))
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A path through points, as steps (a price holds until the next version) or straight lines.
    func path(_ points: [(Date, Double)], steps: Bool) -> String {
        var d = ""
        for (index, point) in points.enumerated() {
            let px = Self.number(x(point.0)), py = Self.number(y(point.1))
            if index == 0 {
                d += "M\(px) \(py)"
            } else if steps {
                d += "H\(px)V\(py)"
            } else {
                d += "L\(px) \(py)"
            }
        }
        return d
    }

    mutating func add(_ element: String) { body.append(element) }

    func render(id: String, title: String, valueLabel: (Double) -> String) -> String {
        var parts: [String] = []
        parts.append(
            "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">")
        parts.append("<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" class=\"plot\"/>")
        for tick in valueTicks() {
            let py = Self.number(y(tick))
            parts.append(
                "<line class=\"grid\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(py)\" y2=\"\(py)\"/><text class=\"tick\" x=\"\(left - 6)\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTML.escape(valueLabel(tick)))</text>")
        }
        for (date, label) in timeTicks() {
            let px = Self.number(x(date))
            parts.append(
                "<line class=\"grid\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(top)\" y2=\"\(height - bottom)\"/><text class=\"tick\" x=\"\(px)\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(label)</text>")
        }
        parts += body
        for (index, entry) in legend.enumerated() {
            let ly = top + 8 + Double(index) * 16
            parts.append(
                "<rect x=\"\(width - right + 10)\" y=\"\(Self.number(ly - 5))\" width=\"10\" height=\"10\" fill=\"\(entry.color)\"/><text class=\"legend\" x=\"\(width - right + 25)\" y=\"\(Self.number(ly))\" dominant-baseline=\"middle\">\(HTML.escape(entry.name))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    func valueTicks() -> [Double] {
        if logarithmic {
            var ticks: [Double] = []
            var tick = pow(10, floor(log10(low)))
            while tick <= high * 1.0001 {
                if tick >= low * 0.9999 { ticks.append(tick) }
                tick *= 10
            }
            return ticks
        }
        return (0...4).map { low + (high - low) * Double($0) / 4 }
    }

    /// Quarter starts (or months for short spans) between start and end.
    func timeTicks() -> [(Date, String)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let months = end.timeIntervalSince(start) > 400 * 86_400 ? 3 : 1
        var components = calendar.dateComponents([.year, .month], from: start)
        components.day = 1
        var ticks: [(Date, String)] = []
        while let date = calendar.date(from: components), date <= end {
            let month = components.month ?? 1
            if date >= start, (month - 1) % months == 0 {
                ticks.append((date, String(format: "%04d-%02d", components.year ?? 0, month)))
            }
            components.month = month + 1
        }
        return ticks
    }
}

enum HTML {
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
