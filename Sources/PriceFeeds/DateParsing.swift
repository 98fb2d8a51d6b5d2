import BrokerCore
public import struct Foundation.Date

/// Dates as the catalogue files, price files and operators write them: `YYYY-MM-DD` (midnight
/// UTC) or an ISO 8601 timestamp `YYYY-MM-DDTHH:MM:SS[.fraction]` with `Z` or `±HH:MM`.
///
/// Strict, by arithmetic rather than Foundation's parsers, which are lenient (`2025-02-30`,
/// or `T25:00:00Z` rolled over into the next day) and depend on locale and time-zone settings:
/// every field must be in its range, and years run from 1970 to 9999 (no price, decision or
/// credit predates 1970; a year 0000 is a typo).
public enum DateParsing {
    public static let years = 1970...9999

    /// nil when `text` (surrounding spaces aside) is no such date.
    public static func date(_ text: String) -> Date? {
        var bytes = Array(text.utf8)[...]
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        guard let days = day(bytes.prefix(10)) else { return nil }
        let rest = bytes.dropFirst(10)
        if rest.isEmpty { return Date(timeIntervalSince1970: Double(days * 86_400)) }
        guard let seconds = time(rest) else { return nil }
        return Date(timeIntervalSince1970: Double(days * 86_400) + seconds)
    }

    /// Midnight UTC of a strict `YYYY-MM-DD` (nothing else).
    public static func calendarDay(_ text: String) -> Date? {
        day(Array(text.utf8)[...]).map { Date(timeIntervalSince1970: Double($0 * 86_400)) }
    }

    /// Days since 1970-01-01 of a strict `YYYY-MM-DD`.
    static func day(_ bytes: ArraySlice<UInt8>) -> Int? {
        let text = Array(bytes)
        guard text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            let year = number(text[0..<4]), let month = number(text[5..<7]), let day = number(text[8..<10]),
            years.contains(year), (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return CivilDate.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// Seconds after midnight UTC of `THH:MM:SS[.fraction]` and its zone.
    static func time(_ bytes: ArraySlice<UInt8>) -> Double? {
        let text = Array(bytes)
        guard text.count >= 10, text[0] == UInt8(ascii: "T") || text[0] == UInt8(ascii: "t"),
            text[3] == UInt8(ascii: ":"), text[6] == UInt8(ascii: ":"),
            let hour = number(text[1..<3]), let minute = number(text[4..<6]), let second = number(text[7..<9]),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 9
        var fraction = 0.0
        if text[index] == UInt8(ascii: ".") {
            let digits = text[(index + 1)...].prefix { (48...57).contains($0) }
            guard (1...9).contains(digits.count), let value = number(digits) else { return nil }
            fraction = Double(value) / pow10(digits.count)
            index += 1 + digits.count
        }
        let zone = text[index...]
        let offset: Int
        if zone.elementsEqual("Z".utf8) || zone.elementsEqual("z".utf8) {
            offset = 0
        } else {
            let zone = Array(zone)
            guard zone.count == 6, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"), zone[3] == UInt8(ascii: ":"),
                let hours = number(zone[1..<3]), let minutes = number(zone[4..<6]), hours < 24, minutes < 60
            else { return nil }
            offset = (zone[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3_600 + minutes * 60)
        }
        return Double(hour * 3_600 + minute * 60 + second - offset) + fraction
    }

    /// The value of a run of ASCII digits (nothing else).
    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    static func pow10(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
