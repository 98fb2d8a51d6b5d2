public import Foundation
import PriceFeeds

extension TimeArgument {
    /// A time ahead: ISO 8601, `YYYY-MM-DD`, or a span from now such as `30d` (for expiries).
    public static func future(_ text: String, now: Date) -> Date? {
        if let date = DateParsing.date(text) { return date }
        guard let ago = date(text, now: now) else { return nil }
        return now.addingTimeInterval(now.timeIntervalSince(ago))
    }
}
