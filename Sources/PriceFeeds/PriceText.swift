import BrokerCore

/// Reads a price from its decimal text, exactly. Feeds write prices either per token
/// (LiteLLM, OpenRouter) or per million tokens (the history CSV).
enum PriceText {
    enum Unit {
        case usdPerToken
        case usdPerMtok

        /// Decimal places that turn the unit into the catalogue's nano-USD per Mtok.
        var scale: Int {
            switch self {
            case .usdPerToken: 15
            case .usdPerMtok: 9
            }
        }
    }

    /// The price, or nil when the text is not a non-negative decimal that fits the catalogue.
    ///
    /// Digits below one nano-USD per Mtok are rounded half-even: LiteLLM has values such as
    /// `2.9999900000000002e-06` (float noise from its own generation), which become 2.99999.
    /// Only a literal zero is `.free`; a positive price too small to show at that resolution
    /// stays a known price of 0 nano-USD rather than being promoted to "explicitly free".
    static func parse(_ text: String, unit: Unit) -> Price? {
        guard let nanos = ExactDecimal.parse(text, scale: unit.scale), nanos >= 0, nanos <= Int128(Int64.max) else {
            return nil
        }
        if nanos == 0 {
            return isLiteralZero(text) ? .free : .perMtok(TokenPrice(nanoUSDPerMtok: 0))
        }
        return .perMtok(TokenPrice(nanoUSDPerMtok: Int64(nanos)))
    }

    /// True when every digit of the mantissa is 0 (`0`, `0.000`, `0e5`, `-0`).
    static func isLiteralZero(_ text: String) -> Bool {
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        return !mantissa.contains { $0.isNumber && $0 != "0" }
    }
}
