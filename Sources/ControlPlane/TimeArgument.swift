public import Foundation
import PriceFeeds

/// Times as operators type them: ISO 8601, `YYYY-MM-DD`, or an age such as `24h`, `7d`, `30m`.
public enum TimeArgument {
    public static func date(_ text: String, now: Date) -> Date? {
        if let date = DateParsing.date(text) { return date }
        guard let unit = text.last, let amount = Int(text.dropLast()), amount >= 0 else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        return now.addingTimeInterval(-TimeInterval(amount * seconds))
    }
}
