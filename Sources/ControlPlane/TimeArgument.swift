public import Foundation
import PriceFeeds

/// Times as operators type them: ISO 8601, `YYYY-MM-DD`, or an age such as `24h`, `7d`, `30m`.
public enum TimeArgument {
    /// The longest age taken (about 1,000 years): anything longer is a typo, and a product
    /// past Int's range would trap.
    static let maximumAgeSeconds = 1_000 * 366 * 86_400

    /// nil when `text` is no time, or an age over ``maximumAgeSeconds``.
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
        let (age, overflow) = amount.multipliedReportingOverflow(by: seconds)
        guard !overflow, age <= maximumAgeSeconds else { return nil }
        return now.addingTimeInterval(-TimeInterval(age))
    }
}
