/// An exact amount of US dollars, held as an integer count of femto-dollars (1e-15 USD).
///
/// One token at a price of one nano-dollar per million tokens costs exactly one
/// femto-dollar, so every per-request cost is an exact integer product and nothing is
/// ever rounded until it is displayed or stored. `Int128` holds ±1.7e23 USD.
///
/// ```swift
/// let cost = Money(usd: "2.50")!          // 2.50 USD
/// cost.decimalString()                    // "2.5"
/// ```
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Femto-dollars per dollar.
    public static let femtoPerUSD: Int128 = 1_000_000_000_000_000
    /// Femto-dollars per nano-dollar: the unit the store keeps totals in.
    public static let femtoPerNano: Int128 = 1_000_000

    public var femtoUSD: Int128

    public init(femtoUSD: Int128) { self.femtoUSD = femtoUSD }

    public init(nanoUSD: Int64) { self.femtoUSD = Int128(nanoUSD) * Self.femtoPerNano }

    /// Parses a plain decimal number of dollars (`"2.5"`, `"-0.001"`, `"1e-6"`) exactly;
    /// digits below one femto-dollar are rounded half-even.
    public init?(usd text: some StringProtocol) {
        guard let value = ExactDecimal.parse(text, scale: 15) else { return nil }
        self.femtoUSD = value
    }

    public static let zero = Money(femtoUSD: 0)

    public var isZero: Bool { femtoUSD == 0 }

    /// The amount rounded half-even to whole nano-dollars, the unit SQLite stores
    /// (an `INTEGER` column sums to 9.2e9 USD before it overflows).
    public var roundedNanoUSD: Int64 {
        let nanos = ExactDecimal.divideRoundingHalfEven(femtoUSD, by: Self.femtoPerNano)
        return Int64(clamping: nanos)
    }

    /// The exact amount as a decimal string of dollars without trailing zeros, e.g. `"0.0000125"`.
    public func decimalString() -> String { ExactDecimal.format(femtoUSD, scale: 15) }

    /// The amount rounded half-even to `places` decimals, e.g. `"0.0013"` for 4 places.
    public func decimalString(places: Int) -> String {
        precondition((0...15).contains(places))
        var divisor: Int128 = 1
        for _ in 0..<(15 - places) { divisor *= 10 }
        let rounded = ExactDecimal.divideRoundingHalfEven(femtoUSD, by: divisor)
        return ExactDecimal.format(rounded, scale: places, keepPlaces: true)
    }

    public var description: String { "$" + decimalString() }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.femtoUSD < rhs.femtoUSD }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(femtoUSD: lhs.femtoUSD + rhs.femtoUSD) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(femtoUSD: lhs.femtoUSD - rhs.femtoUSD) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.femtoUSD += rhs.femtoUSD }

    /// Encoded as an exact decimal string of dollars: JSON numbers are doubles to most readers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let money = Money(usd: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a decimal amount of USD: \(text)")
        }
        self = money
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimalString())
    }
}
