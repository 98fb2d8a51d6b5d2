import BrokerCore

/// HTTP dates (RFC 9110 §5.6.7) as Unix seconds: the IMF-fixdate every current server sends,
/// and the obsolete RFC 850 and asctime forms a recipient must still accept. Parsed by hand,
/// because `DateFormatter` depends on the locale and is slow to build.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` → 784111777; nil for anything else.
    static func unixSeconds(_ text: String) -> Int? {
        let tokens = text.split { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" }
        var month: Int?
        var clock: [Int]?
        var numbers: [Substring] = []
        for token in tokens {
            if token.contains(":") {
                let parts = token.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                guard parts.count == 3, parts.allSatisfy({ $0 != nil }) else { return nil }
                clock = parts.compactMap { $0 }
            } else if token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber) {
                numbers.append(token)
            } else if token.count == 3, let index = months.firstIndex(of: token.lowercased()) {
                month = index + 1
            }
        }
        guard let month, let clock, numbers.count == 2, numbers[0].count <= 2, let day = Int(numbers[0]),
            var year = Int(numbers[1])
        else { return nil }
        if numbers[1].count == 2 { year += year < 70 ? 2000 : 1900 }
        guard (1...31).contains(day), (1900...9999).contains(year), (0...23).contains(clock[0]),
            (0...59).contains(clock[1]), (0...60).contains(clock[2])
        else { return nil }
        return CivilDate.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + clock[0] * 3_600 + clock[1] * 60 + clock[2]
    }
}
