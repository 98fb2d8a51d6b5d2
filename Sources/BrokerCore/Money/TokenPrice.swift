/// A known, positive-or-zero price in nano-dollars per million tokens (the catalogue's unit).
///
/// One token at one nano-dollar per Mtok costs one femto-dollar, so ``cost(tokens:)`` is exact.
public struct TokenPrice: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoUSDPerMtok: Int64

    public init(nanoUSDPerMtok: Int64) {
        precondition(nanoUSDPerMtok >= 0, "a price cannot be negative")
        self.nanoUSDPerMtok = nanoUSDPerMtok
    }

    /// Parses USD per million tokens, e.g. `"2.50"`.
    public init?(usdPerMtok text: some StringProtocol) {
        guard let nanos = ExactDecimal.parse(text, scale: 9), nanos >= 0, nanos <= Int128(Int64.max) else {
            return nil
        }
        self.nanoUSDPerMtok = Int64(nanos)
    }

    /// Parses USD per single token, the unit LiteLLM and OpenRouter use, e.g. `"2.5e-06"`.
    public init?(usdPerToken text: some StringProtocol) {
        guard let nanos = ExactDecimal.parse(text, scale: 15), nanos >= 0, nanos <= Int128(Int64.max) else {
            return nil
        }
        self.nanoUSDPerMtok = Int64(nanos)
    }

    public func cost(tokens: Int) -> Money {
        Money(femtoUSD: Int128(tokens) * Int128(nanoUSDPerMtok))
    }

    /// USD per Mtok as an exact decimal string, e.g. `"2.5"`.
    public var usdPerMtokString: String { ExactDecimal.format(Int128(nanoUSDPerMtok), scale: 9) }

    public var description: String { "$\(usdPerMtokString)/Mtok" }

    public static func < (lhs: TokenPrice, rhs: TokenPrice) -> Bool { lhs.nanoUSDPerMtok < rhs.nanoUSDPerMtok }
}

/// What the catalogue knows about one price: a price can be known, explicitly zero, or
/// unknown, and those are three different facts.
///
/// An unknown price is never treated as cheap: the router excludes the offer. Zero is only
/// ever an explicit, sourced statement (a free tier, hardware already paid for).
public enum Price: Sendable, Hashable, CustomStringConvertible {
    case unknown
    case free
    case perMtok(TokenPrice)

    /// nil → unknown, 0 → free, otherwise a known price.
    public init(nanoUSDPerMtok: Int64?) {
        switch nanoUSDPerMtok {
        case nil: self = .unknown
        case 0?: self = .free
        case let nanos?: self = .perMtok(TokenPrice(nanoUSDPerMtok: nanos))
        }
    }

    /// The price in nano-USD per Mtok, nil when unknown.
    public var nanoUSDPerMtok: Int64? {
        switch self {
        case .unknown: nil
        case .free: 0
        case .perMtok(let price): price.nanoUSDPerMtok
        }
    }

    public var isKnown: Bool { self != .unknown }

    public func cost(tokens: Int) -> Money? {
        switch self {
        case .unknown: nil
        case .free: .zero
        case .perMtok(let price): price.cost(tokens: tokens)
        }
    }

    /// `"2.5"`, `"0"`, or nil when unknown.
    public var usdPerMtokString: String? {
        nanoUSDPerMtok.map { ExactDecimal.format(Int128($0), scale: 9) }
    }

    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .free: "free"
        case .perMtok(let price): price.description
        }
    }
}
